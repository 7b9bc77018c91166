package dev.colo.nbd.internal.server;

import dev.colo.api.ColoErrorCode;

/** A refused configuration value of an NBD export; carries the key and the value as the operator wrote them. */
public final class InvalidSettingException extends IllegalArgumentException {
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
                ColoErrorCode.CONFIG_INVALID.format(NbdExportComponent.PID, key, shown, reason));
    }

    static InvalidSettingException missing(String key) {
        return new InvalidSettingException(ColoErrorCode.CONFIG_MISSING, key, "",
                ColoErrorCode.CONFIG_MISSING.format(NbdExportComponent.PID, key));
    }

    public ColoErrorCode code() {
        return code;
    }

    public String key() {
        return key;
    }

    public String value() {
        return value;
    }
}
