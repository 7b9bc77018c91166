package dev.colo.proxy.internal.secondary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.colo.proxy.internal.wire.ProxyMessage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SecondaryConnectionTest {
    private final ByteArrayOutputStream guestInput = new ByteArrayOutputStream();
    private final List<String> guestEvents = new ArrayList<>();
    private final List<ProxyMessage> redirected = new ArrayList<>();
    private final AtomicLong epoch = new AtomicLong(4);
    private final SecondaryConnection connection = new SecondaryConnection("redis", 9, new SecondaryConnection.Guest() {
        @Override
        public void send(ByteBuffer data) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            guestInput.writeBytes(bytes);
        }

        @Override
        public void close() {
            guestEvents.add("closed");
        }

        @Override
        public void endInput() {
            guestEvents.add("input ended");
        }
    }, redirected::add, epoch::get);

    @Test
    void shouldInjectMirroredInputAndRedirectOutputTaggedWithTheLoadedEpoch() {
        connection.input(ByteBuffer.wrap("PING\r\n".getBytes()));
        assertEquals("PING\r\n", guestInput.toString());
        connection.guestOutput(ByteBuffer.wrap("+PONG\r\n".getBytes()));
        epoch.set(5);
        connection.guestOutput(ByteBuffer.wrap(new byte[ProxyMessage.MAX_DATA_BYTES + 1]));
        connection.clientClosed();
        connection.guestEnded();
        assertEquals(new ProxyMessage.Output("redis", 9, 4, ByteBuffer.wrap("+PONG\r\n".getBytes())), redirected.get(0));
        assertEquals(5, ((ProxyMessage.Output) redirected.get(1)).epoch());
        assertEquals(1, ((ProxyMessage.Output) redirected.get(2)).data().remaining(), "split for the peer link");
        assertEquals(new ProxyMessage.End("redis", 9, 5), redirected.get(3));
        assertEquals(List.of("closed"), guestEvents);
    }
}
