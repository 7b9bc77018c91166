package dev.colo.guest.kv.internal.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RespReaderTest {
    private static final int MAX_BULK = 16 << 10;
    private static final String PIPELINE = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nva\r\nl\r\nPING\r\n\r\n*2\r\n$3\r\nGET\r\n$0\r\n\r\n";

    @Test
    void commandsArriveWholeWhateverTheFragmentation() throws RespException {
        List<String> expected = List.of("[SET, k, va\r\nl]", "[PING]", "[GET, ]");
        Random random = new Random(7);
        byte[] bytes = PIPELINE.getBytes(StandardCharsets.ISO_8859_1);
        for (int round = 0; round < 200; round++) {
            RespReader reader = new RespReader(MAX_BULK, new QueryBudget(1 << 20));
            List<String> commands = new ArrayList<>();
            int offset = 0;
            while (offset < bytes.length) {
                int length = round == 0 ? 1 : 1 + random.nextInt(bytes.length - offset);
                reader.feed(ByteBuffer.wrap(bytes, offset, length));
                offset += length;
                for (List<byte[]> command = reader.next(); command != null; command = reader.next()) {
                    commands.add(command.stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)).toList().toString());
                }
            }
            assertEquals(expected, commands, "round " + round);
        }
    }

    @Test
    void protocolErrorsAreNamedAndNothingHugeIsAllocated() throws RespException {
        for (String bad : List.of("*x\r\n", "*1\r\n+OK\r\n", "*1\r\n$-5\r\n", "*1\r\n$999999999999\r\n", "*1\r\n$" + (MAX_BULK + 1) + "\r\n",
                "*1\r\n$2\r\nabcd\r\n", "*99999999\r\n")) {
            RespReader reader = new RespReader(MAX_BULK, new QueryBudget(1 << 20));
            reader.feed(ByteBuffer.wrap(bad.getBytes(StandardCharsets.ISO_8859_1)));
            RespException e = assertThrows(RespException.class, reader::next, bad);
            assertTrue(!e.getMessage().isEmpty());
        }
        RespReader endless = new RespReader(MAX_BULK, new QueryBudget(1 << 20));
        endless.feed(ByteBuffer.wrap(new byte[RespReader.MAX_INLINE_BYTES + 10]));
        assertThrows(RespException.class, endless::next, "an inline request without an end is bounded");
    }

    @Test
    void anIncompleteCommandWaitsForMore() throws RespException {
        RespReader reader = new RespReader(MAX_BULK, new QueryBudget(1 << 20));
        reader.feed(ByteBuffer.wrap("*2\r\n$3\r\nGET\r\n$3\r\nke".getBytes(StandardCharsets.ISO_8859_1)));
        assertNull(reader.next());
        reader.feed(ByteBuffer.wrap("y\r\n".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("key", new String(reader.next().get(1), StandardCharsets.ISO_8859_1));
    }

    @Test
    void theConnectionsTogetherHoldNoMoreThanTheirBudget() throws RespException {
        QueryBudget budget = new QueryBudget(100);
        RespReader first = new RespReader(MAX_BULK, budget);
        RespReader second = new RespReader(MAX_BULK, budget);
        first.feed(ByteBuffer.wrap("*2\r\n$3\r\nGET\r\n$70\r\n".getBytes(StandardCharsets.ISO_8859_1)));
        assertNull(first.next());
        assertEquals(18, budget.heldBytes(), "an incomplete command holds its bytes");
        second.feed(ByteBuffer.wrap(new byte[82]));
        RespException refused = assertThrows(RespException.class, () -> second.feed(ByteBuffer.wrap(new byte[1])));
        assertTrue(refused.getMessage().contains("100 bytes"), refused.getMessage());
        second.close();
        assertEquals(18, budget.heldBytes(), "a closed connection gives its bytes back");
        first.feed(ByteBuffer.wrap("x".repeat(70).concat("\r\n").getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(70, first.next().get(1).length);
        assertEquals(0, budget.heldBytes(), "a complete command gives its bytes back");
    }
}
