package dev.colo.api;

/** A failure with a {@link ColoErrorCode}; the message is the code's filled-in template. */
public class ColoException extends Exception {
    private static final long serialVersionUID = 1L;
    private final ColoErrorCode code;

    public ColoException(ColoErrorCode code, Object... args) {
        super(code.format(args));
        this.code = code;
    }

    public ColoException(Throwable cause, ColoErrorCode code, Object... args) {
        super(code.format(args), cause);
        this.code = code;
    }

    public ColoErrorCode code() {
        return code;
    }
}
