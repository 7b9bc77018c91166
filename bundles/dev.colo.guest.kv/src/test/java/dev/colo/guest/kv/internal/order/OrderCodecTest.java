package dev.colo.guest.kv.internal.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OrderCodecTest {
    @Test
    void entriesSurviveTheRoundTrip() throws Exception {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            List<OrderEntry> entries = new ArrayList<>();
            long clock = 1_700_000_000_000_000L;
            for (int i = random.nextInt(100); i > 0; i--) {
                clock += random.nextInt(2000) - 500; // clocks go back too (another thread read it earlier)
                entries.add(new OrderEntry(random.nextLong() >>> 1 >>> random.nextInt(62),
                        random.nextInt(1 << 20), clock));
            }
            assertEquals(entries, OrderCodec.decode(ByteBuffer.wrap(OrderCodec.encode(entries))));
        }
    }

    @Test
    void whatDoesNotParseIsRefusedWithWhatIsWrong() {
        byte[] good = OrderCodec.encode(List.of(new OrderEntry(1, 2, 1L << 50), new OrderEntry(4, 5, 1L << 51)));
        assertRefused(new byte[] {2, 0}, "version 2");
        assertRefused(new byte[] {1, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}, "entries in");
        assertRefused(Arrays.copyOf(good, good.length - 1), "ends early");
        assertRefused(Arrays.copyOf(good, good.length + 1), "bytes after");
        byte[] longVarint = new byte[13];
        longVarint[0] = 1;
        Arrays.fill(longVarint, 1, 12, (byte) 0x80);
        assertRefused(longVarint, "longer than 10 bytes");
        // a clock that goes below 0: one entry, connection 0, index 0, clock delta -1 (zigzag 1)
        assertRefused(new byte[] {1, 1, 0, 0, 1}, "none may be negative");
    }

    private static void assertRefused(byte[] bytes, String expected) {
        OrderCodec.OrderFormatException refused = assertThrows(OrderCodec.OrderFormatException.class,
                () -> OrderCodec.decode(ByteBuffer.wrap(bytes)));
        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    }
}
