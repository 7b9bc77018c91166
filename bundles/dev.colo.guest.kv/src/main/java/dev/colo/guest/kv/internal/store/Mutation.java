package dev.colo.guest.kv.internal.store;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/** A change to the store, as the log records it and checkpoints carry it. Keys are ISO-8859-1 strings (binary-safe). */
public sealed interface Mutation {
    String key();

    /** {@code key} now holds {@code value}, until {@code expiresAtMillis} (0: for ever). */
    record Put(String key, byte[] value, long expiresAtMillis) implements Mutation {
        @Override
        public boolean equals(Object other) {
            return other instanceof Put put && put.key.equals(key) && Arrays.equals(put.value, value)
                    && put.expiresAtMillis == expiresAtMillis;
        }

        @Override
        public int hashCode() {
            return key.hashCode() * 31 + Arrays.hashCode(value);
        }
    }

    /** {@code key} no longer exists. */
    record Delete(String key) implements Mutation {
    }

    default void write(DataOutputStream out) throws IOException {
        byte[] key = key().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        out.writeByte(this instanceof Put ? 'P' : 'D');
        out.writeInt(key.length);
        out.write(key);
        if (this instanceof Put put) {
            out.writeInt(put.value().length);
            out.write(put.value());
            out.writeLong(put.expiresAtMillis());
        }
    }

    /** Reads one mutation; lengths are checked against what is left, so a corrupt record is an IOException. */
    static Mutation read(DataInputStream in) throws IOException {
        int kind = in.readByte();
        String key = new String(bytes(in), java.nio.charset.StandardCharsets.ISO_8859_1);
        return switch (kind) {
            case 'P' -> new Put(key, bytes(in), in.readLong());
            case 'D' -> new Delete(key);
            default -> throw new IOException("unknown mutation kind " + kind);
        };
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > in.available()) {
            throw new IOException("a length of " + length + " with " + in.available() + " bytes left");
        }
        return in.readNBytes(length);
    }
}
