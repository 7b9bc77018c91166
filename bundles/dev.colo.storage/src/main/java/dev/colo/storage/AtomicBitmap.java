package dev.colo.storage;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongConsumer;

/**
 * A fixed-size set of bits, safe for concurrent use without locks. A summary bitmap keeps one bit per word
 * that may be non-zero, so searching and clearing cost what is set, not the bitmap's size (a 1 TiB disk of
 * 64 KiB blocks has 2^24 bits but only 2^12 summary words).
 */
final class AtomicBitmap {
    private final long bits;
    private final AtomicLongArray words;
    /** Bit w is set when word w may be non-zero; set after the word, cleared before it is emptied. */
    private final AtomicLongArray summary;
    private final AtomicLong count = new AtomicLong();

    AtomicBitmap(long bits) {
        long wordCount = wordsFor(bits);
        if (bits <= 0 || wordCount > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("cannot keep a bitmap of " + bits + " bits");
        }
        this.bits = bits;
        this.words = new AtomicLongArray((int) wordCount);
        this.summary = new AtomicLongArray((int) wordsFor(wordCount));
    }

    static long wordsFor(long bits) {
        return (bits + 63) >>> 6;
    }

    long size() {
        return bits;
    }

    int wordCount() {
        return words.length();
    }

    long count() {
        return count.get();
    }

    boolean get(long bit) {
        check(bit);
        return (words.get(wordIndex(bit)) & mask(bit)) != 0;
    }

    long word(int index) {
        return words.get(index);
    }

    /** Sets bits {@code from} (inclusive) to {@code to} (exclusive); true if any of them was clear. */
    boolean setRange(long from, long to) {
        boolean changed = false;
        for (long bit = from; bit < to; bit++) {
            changed |= set(bit);
        }
        return changed;
    }

    /** Sets one bit; true if it was clear. */
    boolean set(long bit) {
        check(bit);
        int index = wordIndex(bit);
        long mask = mask(bit);
        long old = words.getAndAccumulate(index, mask, (word, m) -> word | m);
        if ((old & mask) != 0) {
            return false;
        }
        count.incrementAndGet();
        markWord(index);
        return true;
    }

    /** Clears one bit; true if it was set. The summary keeps its bit: an empty word costs one look later. */
    boolean clear(long bit) {
        check(bit);
        long mask = mask(bit);
        long old = words.getAndAccumulate(wordIndex(bit), mask, (word, m) -> word & ~m);
        if ((old & mask) == 0) {
            return false;
        }
        count.decrementAndGet();
        return true;
    }

    /** Clears every bit, visiting only the words that may hold one. */
    void clearAll() {
        for (int s = 0; s < summary.length(); s++) {
            long marked = summary.getAndSet(s, 0);
            while (marked != 0) {
                int index = (s << 6) + Long.numberOfTrailingZeros(marked);
                marked &= marked - 1;
                // summary first, then the word: a concurrent set re-marks the summary after its word
                count.addAndGet(-Long.bitCount(words.getAndSet(index, 0)));
            }
        }
    }

    /** The first set bit at or after {@code from}, or -1. */
    long nextSet(long from) {
        if (from < 0) {
            throw new IndexOutOfBoundsException("bit " + from);
        }
        if (from >= bits) {
            return -1;
        }
        int index = wordIndex(from);
        long word = words.get(index) & (-1L << (from & 63));
        if (word != 0) {
            return ((long) index << 6) + Long.numberOfTrailingZeros(word);
        }
        return firstSetInWordsFrom(index + 1);
    }

    private long firstSetInWordsFrom(int firstWord) {
        for (int s = firstWord >>> 6; s < summary.length() && firstWord < words.length(); s++) {
            long marked = summary.get(s);
            if (s == firstWord >>> 6) {
                marked &= -1L << (firstWord & 63);
            }
            while (marked != 0) {
                int index = (s << 6) + Long.numberOfTrailingZeros(marked);
                marked &= marked - 1;
                long word = words.get(index);
                if (word != 0) {
                    return ((long) index << 6) + Long.numberOfTrailingZeros(word);
                }
            }
        }
        return -1;
    }

    /** Calls {@code action} with every set bit in ascending order. */
    void forEachSet(LongConsumer action) {
        for (long bit = nextSet(0); bit >= 0; bit = bit + 1 < bits ? nextSet(bit + 1) : -1) {
            action.accept(bit);
        }
    }

    long[] snapshot() {
        long[] copy = new long[words.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = words.get(i);
        }
        return copy;
    }

    /** Replaces every word; not atomic as a whole, so callers keep other users away meanwhile. */
    void restore(long[] source) {
        if (source.length != words.length()) {
            throw new IllegalArgumentException("bitmap has " + words.length() + " words, got " + source.length);
        }
        long tail = bits & 63;
        if (tail != 0 && (source[source.length - 1] & (-1L << tail)) != 0) {
            throw new IllegalArgumentException("bits set beyond the last of " + bits + " bits");
        }
        long total = 0;
        for (int i = 0; i < source.length; i++) {
            words.set(i, source[i]);
            total += Long.bitCount(source[i]);
        }
        for (int s = 0; s < summary.length(); s++) {
            summary.set(s, 0);
        }
        for (int i = 0; i < source.length; i++) {
            if (source[i] != 0) {
                markWord(i);
            }
        }
        count.set(total);
    }

    private void markWord(int index) {
        long mask = 1L << (index & 63);
        if ((summary.get(index >>> 6) & mask) == 0) {
            summary.getAndAccumulate(index >>> 6, mask, (word, m) -> word | m);
        }
    }

    private void check(long bit) {
        if (bit < 0 || bit >= bits) {
            throw new IndexOutOfBoundsException("bit " + bit + " outside 0.." + (bits - 1));
        }
    }

    private static int wordIndex(long bit) {
        return (int) (bit >>> 6);
    }

    private static long mask(long bit) {
        return 1L << (bit & 63);
    }
}
