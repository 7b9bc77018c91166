package dev.colo.proxy.internal.compare;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The compare of one TCP connection's output (DESIGN §6): the primary guest's bytes are held until the
 * secondary guest produced the same bytes at the same offset, then released to the client. Either side may
 * be ahead; the side ahead is queued (so at most one queue holds bytes). On the first differing byte the
 * connection is mismatched: everything the primary produces is held from then on, and only
 * {@link #realign()} — after a checkpoint made the secondary a copy of the primary — releases it and
 * starts comparing afresh. The end of a stream is output too: the client's connection is closed only when
 * both guests ended theirs at the same offset; one ending where the other goes on is a mismatch.
 * Not thread-safe: one per connection, called by one thread at a time. Free of any network code.
 */
public final class StreamComparator implements OutputComparator {
    private final ByteQueue primaryHeld = new ByteQueue();
    private final ByteQueue secondaryAhead = new ByteQueue();
    /** Offset in the stream of the next byte to release (= bytes released so far). */
    private long released;
    /** When the primary's end started waiting for the secondary's (its bytes before it wait in the queue); or -1. */
    private long endHeldSinceNanos = -1;
    private long mismatchOffset = -1;
    /** Bytes of the primary still to release uncompared: produced before the last checkpoint, read after it. */
    private long passThrough;
    private boolean primaryEnded;
    private boolean secondaryEnded;
    private boolean closed;

    /** Bytes of the primary guest; returns what may go to the client now. */
    @Override
    public Verdict primary(ByteBuffer data, long nowNanos) {
        if (passThrough == 0 || primaryEnded) {
            return compare(data, nowNanos);
        }
        int before = (int) Math.min(passThrough, data.remaining());
        ByteBuffer release = copy(data.slice(data.position(), before));
        passThrough -= before;
        released += before;
        Verdict rest = compare(data.slice(data.position() + before, data.remaining() - before), nowNanos);
        List<ByteBuffer> all = new java.util.ArrayList<>(rest.release().size() + 1);
        all.add(release);
        all.addAll(rest.release());
        return new Verdict(all, rest.closeClient(), rest.mismatched(), rest.mismatchOffset());
    }

    private Verdict compare(ByteBuffer data, long nowNanos) {
        if (!data.hasRemaining()) {
            return verdict(List.of());
        }
        if (isMismatched() || primaryEnded) {
            hold(data, nowNanos);
            return verdict(List.of());
        }
        int length = data.remaining();
        int comparable = (int) Math.min(length, secondaryAhead.bytes());
        long matched = secondaryAhead.matchingPrefix(data);
        if (matched < comparable || (secondaryEnded && length > comparable)) {
            hold(data, nowNanos); // differs, or goes on where the secondary's stream ended
            return mismatch(released + matched);
        }
        secondaryAhead.take(matched);
        ByteBuffer release = copy(data.slice(data.position(), comparable));
        released += comparable;
        hold(data.slice(data.position() + comparable, length - comparable), nowNanos);
        return verdict(comparable == 0 ? List.of() : List.of(release));
    }

    /** Bytes of the secondary guest (redirected by the secondary); returns what may go to the client now. */
    @Override
    public Verdict secondary(ByteBuffer data) {
        if (isMismatched() || !data.hasRemaining()) {
            return verdict(List.of());
        }
        int length = data.remaining();
        int comparable = (int) Math.min(length, primaryHeld.bytes());
        long matched = primaryHeld.matchingPrefix(data);
        if (matched < comparable || secondaryEnded || (primaryEnded && length > comparable)) {
            return mismatch(released + matched);
        }
        List<ByteBuffer> release = primaryHeld.take(comparable);
        released += comparable;
        secondaryAhead.append(data.slice(data.position() + comparable, length - comparable), 0);
        return verdict(release);
    }

    /** The primary guest ended its output (FIN). */
    @Override
    public Verdict primaryEnd(long nowNanos) {
        primaryEnded = true;
        endHeldSinceNanos = nowNanos; // the end itself waits for the secondary's
        if (!isMismatched() && !secondaryAhead.isEmpty()) {
            return mismatch(released); // the secondary produced more
        }
        return verdict(List.of());
    }

    /** The secondary guest ended its output. */
    @Override
    public Verdict secondaryEnd() {
        secondaryEnded = true;
        if (!isMismatched() && !primaryHeld.isEmpty()) {
            return mismatch(released); // the primary produced more
        }
        return verdict(List.of());
    }

    /**
     * A checkpoint made the secondary's state the primary's: everything held is released (in order), what
     * the secondary sent before is dropped, and the compare starts again at the current offset. A primary
     * end held back is released too (the client's connection may be closed).
     */
    @Override
    public Verdict realign() {
        List<ByteBuffer> release = primaryHeld.takeAll();
        for (ByteBuffer buffer : release) {
            released += buffer.remaining();
        }
        secondaryAhead.takeAll();
        mismatchOffset = -1;
        endHeldSinceNanos = -1;
        secondaryEnded = primaryEnded; // the secondary's copy of the connection is now the primary's
        passThrough = 0;
        return verdict(release);
    }

    @Override
    public Verdict realign(long primaryMark) {
        Verdict verdict = realign();
        passThrough = Math.max(0, primaryMark - released); // everything read was released: released is all read
        return verdict;
    }

    @Override
    public boolean isMismatched() {
        return mismatchOffset >= 0;
    }

    /** Bytes of the primary held back from the client. */
    @Override
    public long heldBytes() {
        return primaryHeld.bytes();
    }

    /** Bytes the secondary produced ahead of the primary. */
    @Override
    public long aheadBytes() {
        return secondaryAhead.bytes();
    }

    /** Bytes released to the client so far. */
    public long releasedBytes() {
        return released;
    }

    /**
     * How long the oldest held output (a byte, or the end) has waited at {@code nowNanos}; 0 if nothing waits.
     * A secondary steadily behind by some bytes keeps the queue from emptying, but no byte waits long.
     */
    @Override
    public long heldForNanos(long nowNanos) {
        long since = primaryHeld.isEmpty() ? endHeldSinceNanos : primaryHeld.oldestArrivalNanos();
        return since < 0 ? 0 : nowNanos - since;
    }

    private void hold(ByteBuffer data, long nowNanos) {
        primaryHeld.append(data, nowNanos);
    }

    private Verdict mismatch(long offset) {
        if (mismatchOffset < 0) {
            mismatchOffset = offset;
        }
        return verdict(List.of());
    }

    /** Packs the decision; the client may be closed once both ends met with nothing left to compare. */
    private Verdict verdict(List<ByteBuffer> release) {
        boolean closeClient = !closed && primaryEnded && secondaryEnded && !isMismatched() && primaryHeld.isEmpty()
                && secondaryAhead.isEmpty();
        if (closeClient) {
            closed = true;
            endHeldSinceNanos = -1;
        }
        return new Verdict(release, closeClient, isMismatched(), mismatchOffset);
    }

    private static ByteBuffer copy(ByteBuffer data) {
        return ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
    }
}
