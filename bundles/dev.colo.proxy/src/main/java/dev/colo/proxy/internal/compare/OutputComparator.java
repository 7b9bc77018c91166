package dev.colo.proxy.internal.compare;

import java.nio.ByteBuffer;

/**
 * The compare of one connection's or flow's output: the primary guest's output is held until the secondary
 * guest produced the same, then released; from a mismatch everything is held until {@link #realign()}.
 * Not thread-safe; free of network code.
 */
public interface OutputComparator {

    /** Output of the primary guest (a stream segment, or one datagram). */
    Verdict primary(ByteBuffer data, long nowNanos);

    /** Output of the secondary guest, redirected by the secondary. */
    Verdict secondary(ByteBuffer data);

    /** The primary guest ended its output (a stream's FIN; datagram flows have no end). */
    Verdict primaryEnd(long nowNanos);

    /** The secondary guest ended its output. */
    Verdict secondaryEnd();

    /** After a checkpoint: everything held is released in order, the secondary's earlier output dropped. */
    Verdict realign();

    /**
     * {@link #realign()} at a known point: the primary guest had produced {@code primaryMark} bytes in all when the
     * checkpoint's state was taken, so bytes up to there that arrive later are released uncompared too (the state
     * the secondary has reproduces them), and the compare starts at the mark. A mark behind what arrived already is
     * no better than {@link #realign()}.
     */
    default Verdict realign(long primaryMark) {
        return realign();
    }

    boolean isMismatched();

    /** Bytes of the primary held back from the client. */
    long heldBytes();

    /** Bytes the secondary produced ahead of the primary. */
    long aheadBytes();

    /** How long the oldest held output has waited at {@code nowNanos}; 0 if nothing waits. */
    long heldForNanos(long nowNanos);
}
