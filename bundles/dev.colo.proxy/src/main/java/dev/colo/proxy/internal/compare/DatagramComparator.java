package dev.colo.proxy.internal.compare;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The compare of one UDP flow's output: the primary guest's n-th datagram is released when the secondary
 * guest's n-th datagram is equal to it, whole. Either side may be ahead. A differing datagram mismatches the
 * flow: every primary datagram is held until {@link #realign()}. Not thread-safe; free of network code.
 */
public final class DatagramComparator implements OutputComparator {
    private final ArrayDeque<Held> primaryHeld = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> secondaryAhead = new ArrayDeque<>();
    private long heldBytes;
    private long aheadBytes;
    private long released;
    private long mismatchAt = -1;

    private record Held(ByteBuffer datagram, long sinceNanos) {
    }

    /** A datagram of the primary guest; returns what may go to the client now. */
    @Override
    public Verdict primary(ByteBuffer datagram, long nowNanos) {
        ByteBuffer copy = copy(datagram);
        if (isMismatched() || secondaryAhead.isEmpty()) {
            primaryHeld.addLast(new Held(copy, nowNanos));
            heldBytes += copy.remaining();
            return verdict(List.of());
        }
        ByteBuffer counterpart = secondaryAhead.pollFirst();
        aheadBytes -= counterpart.remaining();
        if (!counterpart.equals(copy)) {
            primaryHeld.addLast(new Held(copy, nowNanos));
            heldBytes += copy.remaining();
            return mismatch();
        }
        released++;
        return verdict(List.of(copy));
    }

    /** A datagram of the secondary guest; returns what may go to the client now. */
    @Override
    public Verdict secondary(ByteBuffer datagram) {
        if (isMismatched()) {
            return verdict(List.of());
        }
        ByteBuffer copy = copy(datagram);
        Held counterpart = primaryHeld.peekFirst();
        if (counterpart == null) {
            secondaryAhead.addLast(copy);
            aheadBytes += copy.remaining();
            return verdict(List.of());
        }
        if (!counterpart.datagram().equals(copy)) {
            return mismatch();
        }
        primaryHeld.pollFirst();
        heldBytes -= counterpart.datagram().remaining();
        released++;
        return verdict(List.of(counterpart.datagram()));
    }

    /** After a checkpoint: every held datagram is released in order; the secondary's earlier ones are dropped. */
    @Override
    public Verdict realign() {
        List<ByteBuffer> release = new ArrayList<>();
        for (Held held : primaryHeld) {
            release.add(held.datagram());
        }
        released += release.size();
        primaryHeld.clear();
        secondaryAhead.clear();
        heldBytes = 0;
        aheadBytes = 0;
        mismatchAt = -1;
        return verdict(release);
    }

    @Override
    public boolean isMismatched() {
        return mismatchAt >= 0;
    }

    @Override
    public long heldBytes() {
        return heldBytes;
    }

    @Override
    public long aheadBytes() {
        return aheadBytes;
    }

    /** A flow has no end: datagrams just stop (the flow expires when idle). */
    @Override
    public Verdict primaryEnd(long nowNanos) {
        return verdict(List.of());
    }

    @Override
    public Verdict secondaryEnd() {
        return verdict(List.of());
    }

    /** How long the oldest held datagram has waited at {@code nowNanos}; 0 if none. */
    @Override
    public long heldForNanos(long nowNanos) {
        Held oldest = primaryHeld.peekFirst();
        return oldest == null ? 0 : nowNanos - oldest.sinceNanos();
    }

    private Verdict mismatch() {
        if (mismatchAt < 0) {
            mismatchAt = released; // the index of the first differing datagram
        }
        return verdict(List.of());
    }

    private Verdict verdict(List<ByteBuffer> release) {
        return new Verdict(release, false, isMismatched(), mismatchAt);
    }

    private static ByteBuffer copy(ByteBuffer data) {
        return ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
    }
}
