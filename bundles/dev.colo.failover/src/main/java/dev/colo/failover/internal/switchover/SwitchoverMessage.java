package dev.colo.failover.internal.switchover;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The switchover's two messages between the nodes' failover controllers: the primary's {@code REQUEST} (its last
 * checkpoint, {@code epoch}, completed and its guests stay paused) and the secondary's {@code ACCEPTED} or
 * {@code REFUSED} (with why); a hand-over's {@code HAND_OVER} (why, in {@code detail}), answered the same way. A peer
 * that predates {@code HAND_OVER} rejects it as of an unknown kind and the primary times out. Versioned, with explicit values for the kinds; free of network code.
 */
public record SwitchoverMessage(Kind kind, long epoch, String detail) {
    public static final String TYPE = "failover.switchover";
    private static final int VERSION = 1;
    private static final int MAX_BYTES = 4096;

    /** What the message says; {@link #code} is what travels. */
    public enum Kind {
        REQUEST(1), ACCEPTED(2), REFUSED(3),
        /** A primary that cannot serve asks the secondary to take over with the state it ran (epoch 0). */
        HAND_OVER(4);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        static Kind of(int code) throws IOException {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            throw new IOException(TYPE + " of an unknown kind " + code);
        }
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(kind.code);
            out.writeLong(epoch);
            out.writeUTF(detail.length() > 1000 ? detail.substring(0, 1000) : detail);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IOException naming what is wrong with the payload */
    public static SwitchoverMessage decode(byte[] payload) throws IOException {
        if (payload.length > MAX_BYTES) {
            throw new IOException(TYPE + " of " + payload.length + " bytes (at most " + MAX_BYTES + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IOException(TYPE + " of version " + version + " (this node speaks " + VERSION + ")");
            }
            SwitchoverMessage message = new SwitchoverMessage(Kind.of(in.readUnsignedByte()), in.readLong(),
                    in.readUTF());
            if (in.available() != 0) {
                throw new IOException(TYPE + " with " + in.available() + " bytes too many");
            }
            return message;
        } catch (EOFException e) {
            throw new IOException("truncated " + TYPE, e);
        }
    }
}
