package dev.colo.transport.internal.frame;

import java.util.Arrays;
import java.util.Objects;

/**
 * One frame of the peer link. Only {@link FrameKind#MESSAGE} frames have a type; the others carry their
 * content in the payload (see {@link Greeting}).
 *
 * @param kind    what the frame is for
 * @param type    message type, empty for non-MESSAGE frames
 * @param payload body; not copied, so the creator hands it over
 */
public record Frame(FrameKind kind, String type, byte[] payload) {
    private static final byte[] EMPTY = new byte[0];

    public Frame {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
    }

    public static Frame message(String type, byte[] payload) {
        return new Frame(FrameKind.MESSAGE, type, payload);
    }

    public static Frame hello(Greeting greeting) {
        return new Frame(FrameKind.HELLO, "", greeting.encode());
    }

    public static Frame welcome(Greeting greeting) {
        return new Frame(FrameKind.WELCOME, "", greeting.encode());
    }

    public static Frame goodbye() {
        return new Frame(FrameKind.GOODBYE, "", EMPTY);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Frame that && kind == that.kind && type.equals(that.type)
                && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, type, Arrays.hashCode(payload));
    }

    /** Names the kind and type but never prints the payload, which may be megabytes. */
    @Override
    public String toString() {
        return "Frame[" + kind + (type.isEmpty() ? "" : " '" + type + "'") + ", " + payload.length + " bytes]";
    }
}
