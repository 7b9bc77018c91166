package dev.colo.api.config;

import dev.colo.api.ColoErrorCode;

/** A refused configuration value; carries the PID, the key and the value as the operator wrote them. */
public final class InvalidConfigurationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    /** Shown instead of a secret's value. */
    public static final String HIDDEN = "(hidden)";

    private final ColoErrorCode code;
    private final String pid;
    private final String key;
    private final String value;

    private InvalidConfigurationException(ColoErrorCode code, String pid, String key, String value, String message) {
        super(message);
        this.code = code;
        this.pid = pid;
        this.key = key;
        this.value = value;
    }

    /** {@link ColoErrorCode#CONFIG_INVALID}: {@code key} has {@code value}, refused for {@code reason}. */
    public static InvalidConfigurationException invalid(String pid, String key, Object value, String reason) {
        String shown = String.valueOf(value);
        return new InvalidConfigurationException(ColoErrorCode.CONFIG_INVALID, pid, key, shown,
                ColoErrorCode.CONFIG_INVALID.format(pid, key, shown, reason));
    }

    /** {@link ColoErrorCode#CONFIG_MISSING}: the required {@code key} is absent or empty. */
    public static InvalidConfigurationException missing(String pid, String key) {
        return new InvalidConfigurationException(ColoErrorCode.CONFIG_MISSING, pid, key, "",
                ColoErrorCode.CONFIG_MISSING.format(pid, key));
    }

    /** Missing, with a hint at the alternative the operator has. */
    public static InvalidConfigurationException missing(String pid, String key, String alternative) {
        return new InvalidConfigurationException(ColoErrorCode.CONFIG_MISSING, pid, key, "",
                ColoErrorCode.CONFIG_MISSING.format(pid, key) + " (" + alternative + ")");
    }

    public ColoErrorCode code() {
        return code;
    }

    public String pid() {
        return pid;
    }

    public String key() {
        return key;
    }

    public String value() {
        return value;
    }
}
