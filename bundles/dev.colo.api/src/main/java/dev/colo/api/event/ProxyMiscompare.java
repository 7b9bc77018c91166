package dev.colo.api.event;

import java.util.Map;

/** The outputs of the two guests differed on a connection of a protected service: a checkpoint follows. */
public record ProxyMiscompare(EventSource source, String service, long connection, long offset, String reason)
        implements ColoEvent {

    @Override
    public String topic() {
        return ColoTopics.PROXY_MISCOMPARE;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> properties = source.toProperties();
        properties.put(EventProperties.SERVICE, service);
        properties.put(EventProperties.CONNECTION, connection);
        properties.put(EventProperties.OFFSET, offset);
        properties.put(EventProperties.REASON, reason);
        return properties;
    }

    static ProxyMiscompare read(PropertyReader in) {
        return new ProxyMiscompare(EventSource.fromProperties(in), in.string(EventProperties.SERVICE),
                in.number(EventProperties.CONNECTION), in.number(EventProperties.OFFSET),
                in.string(EventProperties.REASON));
    }
}
