package dev.colo.guest.kv.internal.order;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference guest's execution order on the wire, one message per batch of the primary: a version byte
 * ({@value #VERSION}), the number of entries, then per entry its connection, its index and its clock as the
 * difference to the previous entry's clock (zigzag), each an unsigned LEB128 varint. A reader refuses another
 * version, a count above {@value #MAX_ENTRIES} or above what the bytes can hold, a varint longer than 10 bytes, a
 * negative value and trailing bytes, each with an error that names it.
 */
public final class OrderCodec {
    public static final int VERSION = 1;
    /** More entries than one batch of the primary can hold (its queue's bound and its reads). */
    public static final int MAX_ENTRIES = 1 << 20;
    /** The smallest an entry can be: three one-byte varints. */
    private static final int MIN_ENTRY_BYTES = 3;

    private OrderCodec() {
    }

    public static byte[] encode(List<OrderEntry> entries) {
        ByteBuffer out = ByteBuffer.allocate(1 + 10 + entries.size() * 30);
        out.put((byte) VERSION);
        putVarint(out, entries.size());
        long clock = 0;
        for (OrderEntry entry : entries) {
            putVarint(out, entry.connection());
            putVarint(out, entry.index());
            long delta = entry.clockMicros() - clock;
            putVarint(out, (delta << 1) ^ (delta >> 63));
            clock = entry.clockMicros();
        }
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    /** Decodes one message; {@code in} is consumed whole. */
    public static List<OrderEntry> decode(ByteBuffer in) throws OrderFormatException {
        try {
            int version = in.get() & 0xff;
            if (version != VERSION) {
                throw new OrderFormatException("an execution order of version " + version + " (this guest reads "
                        + VERSION + ")");
            }
            long count = varint(in, "the entry count");
            if (count > MAX_ENTRIES || count * MIN_ENTRY_BYTES > in.remaining()) {
                throw new OrderFormatException("an execution order of " + count + " entries in " + in.remaining()
                        + " bytes (at most " + MAX_ENTRIES + ")");
            }
            List<OrderEntry> entries = new ArrayList<>((int) count);
            long clock = 0;
            for (int i = 0; i < count; i++) {
                long connection = varint(in, "entry " + i + "'s connection");
                long index = varint(in, "entry " + i + "'s index");
                long zigzag = varint(in, "entry " + i + "'s clock");
                clock += (zigzag >>> 1) ^ -(zigzag & 1);
                if (connection < 0 || index < 0 || clock < 0) {
                    throw new OrderFormatException("entry " + i + " of an execution order: connection " + connection
                            + ", index " + index + ", clock " + clock + " (none may be negative)");
                }
                entries.add(new OrderEntry(connection, index, clock));
            }
            if (in.hasRemaining()) {
                throw new OrderFormatException(in.remaining() + " bytes after the " + count
                        + " entries of an execution order");
            }
            return entries;
        } catch (BufferUnderflowException e) {
            throw new OrderFormatException("an execution order that ends early");
        }
    }

    private static void putVarint(ByteBuffer out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.put((byte) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.put((byte) value);
    }

    private static long varint(ByteBuffer in, String what) throws OrderFormatException {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new OrderFormatException(what + " of an execution order: a varint longer than 10 bytes");
    }

    /** An execution order that does not parse. */
    public static final class OrderFormatException extends Exception {
        private static final long serialVersionUID = 1L;

        public OrderFormatException(String message) {
            super(message);
        }
    }
}
