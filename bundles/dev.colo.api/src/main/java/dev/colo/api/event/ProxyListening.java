package dev.colo.api.event;

import java.util.Map;

/**
 * A protected service's proxy started or stopped listening for clients on the primary, or could not listen
 * ({@code error}: the port still held, the address not on this host): it tries again until it can, and clients
 * are refused meanwhile.
 *
 * @param address where clients connect, {@code host:port}
 * @param error   why it cannot listen; empty when it listens or stopped
 */
public record ProxyListening(EventSource source, String service, String address, boolean listening, String error)
        implements ColoEvent {

    @Override
    public String topic() {
        return ColoTopics.PROXY_LISTENING;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> properties = source.toProperties();
        properties.put(EventProperties.SERVICE, service);
        properties.put(EventProperties.ADDRESS, address);
        properties.put(EventProperties.LISTENING, listening);
        properties.put(EventProperties.ERROR, error);
        return properties;
    }

    static ProxyListening read(PropertyReader in) {
        return new ProxyListening(EventSource.fromProperties(in), in.string(EventProperties.SERVICE),
                in.string(EventProperties.ADDRESS), in.bool(EventProperties.LISTENING),
                in.string(EventProperties.ERROR));
    }
}
