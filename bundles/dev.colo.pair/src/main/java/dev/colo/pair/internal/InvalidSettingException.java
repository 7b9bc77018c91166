package dev.colo.pair.internal;

import dev.colo.api.ColoErrorCode;
import dev.colo.api.pair.PairConfiguration;

/** A refused configuration value; carries the key and the value as the operator wrote them. */
final class InvalidSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final ColoErrorCode code;
    private final String key;
    private final String value;

    private InvalidSettingException(ColoErrorCode code, String key, String value, String message) {
        super(message);
        this.code = code;
        this.key = key;
        this.value = value;
    }

    static InvalidSettingException invalid(String key, Object value, String reason) {
        String shown = String.valueOf(value);
        return new InvalidSettingException(ColoErrorCode.CONFIG_INVALID, key, shown,
                ColoErrorCode.CONFIG_INVALID.format(PairConfiguration.PID, key, shown, reason));
    }

    static InvalidSettingException missing(String key) {
        return new InvalidSettingException(ColoErrorCode.CONFIG_MISSING, key, "",
                ColoErrorCode.CONFIG_MISSING.format(PairConfiguration.PID, key));
    }

    /** Missing, with a hint at the alternative the operator has. */
    static InvalidSettingException missing(String key, String alternative) {
        return new InvalidSettingException(ColoErrorCode.CONFIG_MISSING, key, "",
                ColoErrorCode.CONFIG_MISSING.format(PairConfiguration.PID, key) + " (" + alternative + ")");
    }

    ColoErrorCode code() {
        return code;
    }

    String key() {
        return key;
    }

    String value() {
        return value;
    }
}
