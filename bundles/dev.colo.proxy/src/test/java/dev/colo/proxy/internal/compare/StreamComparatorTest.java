package dev.colo.proxy.internal.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamComparatorTest {
    private final StreamComparator comparator = new StreamComparator();
    /** What the client received, in order. */
    private final ByteArrayOutputStream client = new ByteArrayOutputStream();
    private boolean clientClosed;

    private Verdict take(Verdict verdict) {
        for (ByteBuffer buffer : verdict.release()) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            client.writeBytes(bytes);
        }
        clientClosed |= verdict.closeClient();
        return verdict;
    }

    private Verdict primary(String text) {
        return take(comparator.primary(ascii(text), 0));
    }

    private Verdict secondary(String text) {
        return take(comparator.secondary(ascii(text)));
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    private String received() {
        return client.toString(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void shouldReleaseExactlyTheStreamWhateverTheFragmentationOnEitherSide(long seed) {
        Random random = new Random(seed);
        byte[] stream = new byte[20_000];
        random.nextBytes(stream);
        int fromPrimary = 0;
        int fromSecondary = 0;
        while (fromPrimary < stream.length || fromSecondary < stream.length) {
            boolean primaryTurn = fromSecondary == stream.length
                    || (fromPrimary < stream.length && random.nextBoolean());
            int from = primaryTurn ? fromPrimary : fromSecondary;
            int n = Math.min(stream.length - from, 1 + random.nextInt(random.nextBoolean() ? 7 : 3000));
            ByteBuffer fragment = ByteBuffer.wrap(stream, from, n);
            Verdict verdict = take(primaryTurn ? comparator.primary(fragment, 0) : comparator.secondary(fragment));
            assertFalse(verdict.mismatched(), "identical streams never mismatch");
            if (primaryTurn) {
                fromPrimary += n;
            } else {
                fromSecondary += n;
            }
            assertEquals(Math.min(fromPrimary, fromSecondary), client.size(), "released exactly what both produced");
        }
        assertFalse(clientClosed);
        take(comparator.primaryEnd(0));
        assertFalse(clientClosed, "the primary's end waits for the secondary's");
        take(comparator.secondaryEnd());
        assertTrue(clientClosed);
        assertArrayEquals(stream, client.toByteArray());
        assertEquals(0, comparator.heldBytes() + comparator.aheadBytes());
    }

    @Test
    void shouldReleaseTheMatchingPrefixAndHoldFromAMismatchInTheMiddleOfASegment() {
        primary("+OK abcdef");
        Verdict verdict = secondary("+OK abcXef");
        assertTrue(verdict.mismatched());
        assertEquals(7, verdict.mismatchOffset());
        assertEquals("", received(), "nothing of a differing segment is released");
        primary(" more");
        secondary(" more");
        assertEquals("", received(), "held until a checkpoint, whatever the secondary sends now");

        take(comparator.realign());
        assertEquals("+OK abcdef more", received(), "exactly the primary's output, in order");
        primary("next");
        assertEquals("+OK abcdef more", received(), "compared again after the checkpoint");
        secondary("next");
        assertEquals("+OK abcdef morenext", received());
    }

    @Test
    void shouldReleaseUncomparedWhatThePrimaryProducedBeforeTheCheckpointButIsReadAfterIt() {
        primary("+1\r\n");
        secondary("+1\r\n");
        primary("+2\r"); // the guest wrote "+2\r\n+3\r\n" before the pause; the rest is still in flight
        take(comparator.realign(12));
        assertEquals("+1\r\n+2\r", received());
        secondary("+4\r\n"); // the secondary's first output of the new epoch: the next command's
        primary("\n+3\r\n+4");
        assertEquals("+1\r\n+2\r\n+3\r\n+4", received(), "up to the mark uncompared, then compared");
        Verdict verdict = primary("\r\n+5\r\n");
        assertFalse(verdict.mismatched());
        assertEquals("+1\r\n+2\r\n+3\r\n+4\r\n", received(), "after the mark only what the secondary matched");
        assertTrue(secondary("+6\r\n").mismatched(), "compared from the mark on");
    }

    @Test
    void shouldTreatAMarkBehindWhatWasReadAsAPlainRealign() {
        primary("+OK abc");
        take(comparator.realign(3));
        assertEquals("+OK abc", received());
        primary("d");
        assertEquals("+OK abc", received(), "nothing passes uncompared");
        secondary("d");
        assertEquals("+OK abcd", received());
    }

    @Test
    void shouldHoldWhileTheSecondaryIsLateAndReleaseAsItCatchesUp() {
        take(comparator.primary(ascii("hello world"), 1_000));
        assertEquals(11, comparator.heldBytes());
        assertEquals(4_000, comparator.heldForNanos(5_000), "the compare timeout counts from the oldest held byte");
        secondary("hello");
        assertEquals("hello", received());
        secondary(" world");
        assertEquals("hello world", received());
        assertEquals(0, comparator.heldForNanos(9_000), "nothing waits");
    }

    @Test
    void shouldTimeTheOldestHeldByteNotTheTimeSinceTheQueueWasLastEmpty() {
        take(comparator.primary(ascii("aaaa"), 0));
        take(comparator.primary(ascii("bbbb"), 10_000));
        secondary("aaaa");
        assertEquals(5_000, comparator.heldForNanos(15_000),
                "a secondary steadily behind keeps bytes held, but each waits only since it arrived");
        take(comparator.primary(ascii("cccc"), 20_000));
        secondary("bbbbcc");
        assertEquals(10_000, comparator.heldForNanos(30_000), "the rest of a partly released chunk keeps its age");
    }

    @Test
    void shouldQueueTheSecondaryWhenItIsEarly() {
        secondary("+PONG\r\n");
        assertEquals(7, comparator.aheadBytes());
        assertEquals("", received(), "the secondary never reaches a client by itself");
        primary("+PO");
        primary("NG\r\n");
        assertEquals("+PONG\r\n", received());
        assertEquals(0, comparator.aheadBytes());
    }

    @Test
    void shouldMismatchWhenOnlyOneSideEndsTheConnection() {
        primary("bye");
        secondary("bye");
        take(comparator.primaryEnd(0));
        assertFalse(clientClosed);
        assertTrue(comparator.heldForNanos(10) > 0, "a held end is subject to the compare timeout too");
        Verdict more = secondary(" and more");
        assertTrue(more.mismatched(), "the secondary goes on where the primary ended");
        take(comparator.realign());
        assertTrue(clientClosed, "after the checkpoint the primary's end is released");

        StreamComparator other = new StreamComparator();
        other.primary(ascii("data"), 0);
        assertTrue(other.secondaryEnd().mismatched(), "the secondary ended before producing the primary's data");
    }

    @Test
    void shouldGiveTheClientExactlyThePrimarysOutputThroughRandomMismatchesAndCheckpoints() {
        Random random = new Random(11);
        ByteArrayOutputStream primaryOutput = new ByteArrayOutputStream();
        for (int step = 0; step < 2000; step++) {
            byte[] chunk = new byte[1 + random.nextInt(50)];
            random.nextBytes(chunk);
            primaryOutput.writeBytes(chunk);
            take(comparator.primary(ByteBuffer.wrap(chunk), step));
            byte[] secondaryChunk = chunk.clone();
            if (random.nextInt(20) == 0) {
                secondaryChunk[random.nextInt(secondaryChunk.length)] ^= 1; // nondeterminism
            }
            Verdict verdict = take(comparator.secondary(ByteBuffer.wrap(secondaryChunk)));
            if (verdict.mismatched() && random.nextInt(3) == 0) {
                take(comparator.realign());
            }
        }
        take(comparator.realign());
        assertArrayEquals(primaryOutput.toByteArray(), client.toByteArray());
    }
}
