package dev.colo.proxy.internal.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatagramComparatorTest {
    private final DatagramComparator comparator = new DatagramComparator();
    private final List<String> client = new ArrayList<>();

    private Verdict take(Verdict verdict) {
        verdict.release().forEach(d -> client.add(StandardCharsets.US_ASCII.decode(d.duplicate()).toString()));
        return verdict;
    }

    private static ByteBuffer datagram(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void shouldReleaseEqualDatagramsInOrderWhicheverSideIsAhead() {
        take(comparator.primary(datagram("a"), 0));
        take(comparator.primary(datagram("b"), 0));
        assertEquals(List.of(), client);
        take(comparator.secondary(datagram("a")));
        assertEquals(List.of("a"), client);
        take(comparator.secondary(datagram("b")));
        take(comparator.secondary(datagram("c"))); // the secondary is ahead now
        assertEquals(List.of("a", "b"), client);
        take(comparator.primary(datagram("c"), 0));
        assertEquals(List.of("a", "b", "c"), client);
    }

    @Test
    void shouldHoldEverythingFromADifferingDatagramUntilTheCheckpoint() {
        take(comparator.primary(datagram("t=1"), 100));
        Verdict verdict = take(comparator.secondary(datagram("t=2")));
        assertTrue(verdict.mismatched());
        assertEquals(0, verdict.mismatchOffset(), "the first datagram differs");
        take(comparator.primary(datagram("next"), 200));
        take(comparator.secondary(datagram("next")));
        assertEquals(List.of(), client);
        assertEquals(300, comparator.heldForNanos(400));
        take(comparator.realign());
        assertEquals(List.of("t=1", "next"), client, "exactly the primary's datagrams, in order");
        assertEquals(0, comparator.heldBytes());
    }

    @Test
    void shouldTellADatagramFromTheSameBytesSplitDifferently() {
        take(comparator.primary(datagram("abcd"), 0));
        assertTrue(take(comparator.secondary(datagram("ab"))).mismatched(), "datagram boundaries are output too");
    }
}
