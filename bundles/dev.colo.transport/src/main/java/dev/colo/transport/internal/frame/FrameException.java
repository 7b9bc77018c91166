package dev.colo.transport.internal.frame;

import dev.colo.api.ColoErrorCode;
import dev.colo.api.ColoException;
import java.util.Arrays;

/**
 * A frame that breaks the protocol. The codec does not know who sent it, so it keeps the template
 * arguments that follow the remote address and lets the transport add the address.
 */
public final class FrameException extends Exception {
    private static final long serialVersionUID = 1L;
    private static final String UNKNOWN_REMOTE = "(remote)";

    private final ColoErrorCode code;
    private final Object[] details;

    /** @param details the arguments of the code's template after the remote address */
    public FrameException(ColoErrorCode code, Object... details) {
        super(code.format(withRemote(UNKNOWN_REMOTE, details)));
        this.code = code;
        this.details = details.clone();
    }

    public ColoErrorCode code() {
        return code;
    }

    /** The same error as a {@link ColoException} naming the peer's address. */
    public ColoException toColoException(String remote) {
        return new ColoException(this, code, withRemote(remote, details));
    }

    private static Object[] withRemote(String remote, Object[] details) {
        Object[] args = new Object[details.length + 1];
        args[0] = remote;
        System.arraycopy(details, 0, args, 1, details.length);
        return args;
    }

    @Override
    public String toString() {
        return "FrameException[" + code + " " + Arrays.toString(details) + "]";
    }
}
