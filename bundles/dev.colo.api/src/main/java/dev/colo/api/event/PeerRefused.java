package dev.colo.api.event;

import dev.colo.api.ColoErrorCode;
import java.util.Map;

/** A connection to the peer-link port was refused: untrusted or missing certificate, plaintext, protocol violation. */
public record PeerRefused(EventSource source, String remote, ColoErrorCode errorCode, String message)
        implements ColoEvent {

    @Override
    public String topic() {
        return ColoTopics.PEER_REFUSED;
    }

    @Override
    public Map<String, Object> properties() {
        Map<String, Object> properties = source.toProperties();
        properties.put(EventProperties.REMOTE, remote);
        properties.put(EventProperties.ERROR_CODE, errorCode.name());
        properties.put(EventProperties.MESSAGE, message);
        return properties;
    }

    static PeerRefused read(PropertyReader in) {
        return new PeerRefused(EventSource.fromProperties(in), in.string(EventProperties.REMOTE),
                in.enumValue(EventProperties.ERROR_CODE, ColoErrorCode.class), in.string(EventProperties.MESSAGE));
    }
}
