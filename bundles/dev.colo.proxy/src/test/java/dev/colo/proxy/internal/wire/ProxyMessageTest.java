package dev.colo.proxy.internal.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProxyMessageTest {
    private static final List<ProxyMessage> ALL = List.of(
            new ProxyMessage.Open("redis", 7, "192.0.2.10:51000"),
            new ProxyMessage.Input("redis", 7, ByteBuffer.wrap("*1\r\n$4\r\nPING\r\n".getBytes())),
            new ProxyMessage.Output("redis", 7, 3, ByteBuffer.wrap("+PONG\r\n".getBytes())),
            new ProxyMessage.Close("redis", 7),
            new ProxyMessage.InputEnd("redis", 7),
            new ProxyMessage.Pause("redis", 7),
            new ProxyMessage.Resume("redis", 7),
            new ProxyMessage.End("redis", 7, 3),
            new ProxyMessage.Order("redis", 0, ByteBuffer.wrap(new byte[] {1, 1, 7, 0, 2})),
            new ProxyMessage.OrderLost("redis", 0, "command 3 of connection 7 did not arrive within 2000 ms"));

    @Test
    void shouldRoundTripEveryMessageAndRefuseItTruncatedOrPadded() throws Exception {
        for (ProxyMessage message : ALL) {
            byte[] payload = message.encode();
            assertEquals(message, ProxyMessage.decode(message.type(), payload));
            for (int length = 0; length < payload.length; length++) {
                byte[] truncated = Arrays.copyOf(payload, length);
                assertThrows(IOException.class, () -> ProxyMessage.decode(message.type(), truncated),
                        message.type() + " cut to " + length);
            }
            assertThrows(IOException.class, () -> ProxyMessage.decode(message.type(),
                    Arrays.copyOf(payload, payload.length + 1)));
        }
    }

    @Test
    void shouldRefuseHugeDeclaredLengthsUnknownTypesAndRandomBytesWithAnError() {
        byte[] header = new ProxyMessage.Input("redis", 1, ByteBuffer.allocate(0)).encode();
        ByteBuffer huge = ByteBuffer.wrap(header.clone());
        huge.putInt(header.length - 4, Integer.MAX_VALUE);
        IOException e = assertThrows(IOException.class, () -> ProxyMessage.decode(ProxyMessage.Input.TYPE, huge.array()));
        assertTrue(e.getMessage().contains("above the maximum"), e.getMessage());
        assertThrows(IOException.class, () -> ProxyMessage.decode("proxy.teleport", header));
        Random random = new Random(5);
        for (int i = 0; i < 2000; i++) {
            byte[] noise = new byte[random.nextInt(64)];
            random.nextBytes(noise);
            try {
                ProxyMessage.decode(ProxyMessage.Output.TYPE, noise); // either a message or an IOException
            } catch (IOException expected) {
                // refused with a reason
            }
        }
    }
}
