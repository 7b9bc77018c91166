package dev.colo.guest.kv.internal.resp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads commands of the Redis protocol (RESP2) from bytes arriving in any fragmentation: arrays of bulk
 * strings ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}) and inline commands ({@code PING\r\n}). Bounded: a
 * line, an argument count or a bulk length above the limits is a {@link RespException}, before anything is
 * allocated for it; the bytes of incomplete commands are taken from the guest's {@link QueryBudget} and given
 * back as commands complete or at {@link #close}. Free of network code; one per connection.
 */
public final class RespReader {
    public static final int MAX_INLINE_BYTES = 64 * 1024;
    public static final int MAX_ARGUMENTS = 1024 * 1024;

    private final int maxBulkBytes;
    private final QueryBudget budget;
    /** Bytes taken from the budget: the unparsed bytes as of the last feed or parse. */
    private long heldBytes;
    private byte[] buffer = new byte[4096];
    /** Unparsed bytes are {@code buffer[start, end)}; parsing reads at {@code position}. */
    private int start;
    private int end;
    private int position;

    /** @param maxBulkBytes the largest argument a client may send (Redis's {@code proto-max-bulk-len}) */
    public RespReader(int maxBulkBytes, QueryBudget budget) {
        this.maxBulkBytes = maxBulkBytes;
        this.budget = budget;
    }

    /**
     * Appends received bytes (consumed from {@code data}).
     *
     * @throws RespException when the guest's connections together hold as many bytes of incomplete commands as
     *                       its budget allows (the connection should be answered with it and closed)
     */
    public void feed(ByteBuffer data) throws RespException {
        int unparsed = end - start;
        int needed = unparsed + data.remaining();
        if (needed > heldBytes) {
            if (!budget.take(needed - heldBytes)) {
                throw new RespException("the query buffers of all clients reached their limit of "
                        + budget.limitBytes() + " bytes");
            }
            heldBytes = needed;
        }
        byte[] target = needed > buffer.length ? new byte[Math.max(needed, 2 * buffer.length)] : buffer;
        System.arraycopy(buffer, start, target, 0, unparsed);
        buffer = target;
        start = 0;
        end = unparsed;
        int length = data.remaining();
        data.get(buffer, end, length);
        end += length;
    }

    /**
     * The next complete command, or null when more bytes are needed.
     *
     * @throws RespException on a protocol error (the connection should be answered with it and closed)
     */
    public List<byte[]> next() throws RespException {
        while (start < end && (buffer[start] == '\r' || buffer[start] == '\n')) {
            start++; // empty lines between commands, as redis allows
        }
        if (start >= end) {
            return null;
        }
        position = start;
        List<byte[]> command = buffer[start] == '*' ? array() : inline();
        if (command != null) {
            start = position;
            release(end - start);
        }
        return command;
    }

    /** Gives back every byte this reader took from the budget (its connection closed). */
    public void close() {
        release(0);
    }

    private void release(long keep) {
        if (heldBytes > keep) {
            budget.give(heldBytes - keep);
            heldBytes = keep;
        }
    }

    private List<byte[]> array() throws RespException {
        String header = line(MAX_INLINE_BYTES);
        if (header == null) {
            return null;
        }
        long count = number(header.substring(1), "multibulk length");
        if (count > MAX_ARGUMENTS) {
            throw new RespException("invalid multibulk length");
        }
        List<byte[]> arguments = new ArrayList<>((int) Math.max(0, Math.min(count, 64)));
        for (long i = 0; i < count; i++) {
            String bulk = line(MAX_INLINE_BYTES);
            if (bulk == null) {
                return null;
            }
            if (bulk.isEmpty() || bulk.charAt(0) != '$') {
                throw new RespException("expected '$', got '" + (bulk.isEmpty() ? "" : bulk.charAt(0)) + "'");
            }
            long length = number(bulk.substring(1), "bulk length");
            if (length < 0 || length > maxBulkBytes) {
                throw new RespException("invalid bulk length");
            }
            if (end - position < length + 2) {
                return null;
            }
            byte[] argument = new byte[(int) length];
            System.arraycopy(buffer, position, argument, 0, (int) length);
            position += (int) length;
            if (buffer[position] != '\r' || buffer[position + 1] != '\n') {
                throw new RespException("bulk string not followed by CRLF");
            }
            position += 2;
            arguments.add(argument);
        }
        return arguments;
    }

    private List<byte[]> inline() throws RespException {
        String line = line(MAX_INLINE_BYTES);
        if (line == null) {
            return null;
        }
        List<byte[]> arguments = new ArrayList<>();
        for (String word : line.trim().split("\\s+")) {
            if (!word.isEmpty()) {
                arguments.add(word.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return arguments;
    }

    /** The next line without its CRLF (or LF), or null if it is not complete; too long is an error. */
    private String line(int max) throws RespException {
        for (int i = position; i < end; i++) {
            if (buffer[i] == '\n') {
                int end = i > position && buffer[i - 1] == '\r' ? i - 1 : i;
                String line = new String(buffer, position, end - position, StandardCharsets.ISO_8859_1);
                position = i + 1;
                return line;
            }
            if (i - position > max) {
                throw new RespException("too big inline request");
            }
        }
        if (end - position > max) {
            throw new RespException("too big inline request");
        }
        return null;
    }

    private static long number(String text, String what) throws RespException {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new RespException("invalid " + what);
        }
    }
}
