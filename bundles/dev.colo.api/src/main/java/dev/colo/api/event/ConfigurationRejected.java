package dev.colo.api.event;

import dev.colo.api.ColoErrorCode;
import java.util.Map;

/** A configuration was refused; the component it configures stays inactive until it is corrected. */
public record ConfigurationRejected(EventSource source, String pid, String key, String value,
        ColoErrorCode errorCode, String message) implements ColoEvent {

    @Override
    public String topic() {
        return ColoTopics.CONFIGURATION_REJECTED;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> properties = source.toProperties();
        properties.put(EventProperties.PID, pid);
        properties.put(EventProperties.KEY, key);
        properties.put(EventProperties.VALUE, value);
        properties.put(EventProperties.ERROR_CODE, errorCode.name());
        properties.put(EventProperties.MESSAGE, message);
        return properties;
    }

    static ConfigurationRejected read(PropertyReader in) {
        return new ConfigurationRejected(EventSource.fromProperties(in), in.string(EventProperties.PID),
                in.string(EventProperties.KEY), in.string(EventProperties.VALUE),
                in.enumValue(EventProperties.ERROR_CODE, ColoErrorCode.class), in.string(EventProperties.MESSAGE));
    }
}
