package dev.colo.transport.internal.frame;

import dev.colo.api.ColoErrorCode;
import dev.colo.api.NodeId;
import dev.colo.api.transport.LinkChannel;
import java.nio.charset.StandardCharsets;

/**
 * Payload of HELLO and WELCOME: the sender's node id and the channel of the connection, as UTF-8
 * {@code "<node id>\n<channel>"}, e.g. {@code "colo-a\nCONTROL"}.
 */
public record Greeting(NodeId nodeId, LinkChannel channel) {

    public byte[] encode() {
        return (nodeId.value() + FrameConstants.GREETING_SEPARATOR + channel.name()).getBytes(StandardCharsets.UTF_8);
    }

    /** @throws FrameException ({@link ColoErrorCode#PEER_PROTOCOL_VIOLATION}) naming what is wrong */
    public static Greeting parse(byte[] payload) throws FrameException {
        String text = new String(payload, StandardCharsets.UTF_8);
        int separator = text.indexOf(FrameConstants.GREETING_SEPARATOR);
        if (separator < 0) {
            throw violation("greeting has no channel");
        }
        return new Greeting(nodeId(text.substring(0, separator)), channel(text.substring(separator + 1)));
    }

    private static NodeId nodeId(String value) throws FrameException {
        try {
            return new NodeId(value);
        } catch (IllegalArgumentException e) {
            throw violation("greeting has an invalid node id: " + e.getMessage());
        }
    }

    private static LinkChannel channel(String value) throws FrameException {
        for (LinkChannel channel : LinkChannel.values()) {
            if (channel.name().equals(value)) {
                return channel;
            }
        }
        throw violation("greeting names an unknown channel");
    }

    private static FrameException violation(String reason) {
        return new FrameException(ColoErrorCode.PEER_PROTOCOL_VIOLATION, reason);
    }
}
