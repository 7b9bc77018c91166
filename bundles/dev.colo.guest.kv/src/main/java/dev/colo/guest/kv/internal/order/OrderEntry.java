package dev.colo.guest.kv.internal.order;

/**
 * One command as the primary's guest executed it: the pair-wide id of its connection, its index among that
 * connection's commands (from 0, counted the same way on both nodes: the input is the same bytes), and the clock
 * it read, in microseconds since the epoch (the one nondeterministic input of the reference guest's commands: TIME,
 * an expiry set, an expiry decided).
 */
public record OrderEntry(long connection, long index, long clockMicros) {
    public OrderEntry {
        if (connection < 0 || index < 0 || clockMicros < 0) {
            throw new IllegalArgumentException("an order entry of connection " + connection + ", index " + index
                    + ", clock " + clockMicros + " µs: none may be negative");
        }
    }
}
