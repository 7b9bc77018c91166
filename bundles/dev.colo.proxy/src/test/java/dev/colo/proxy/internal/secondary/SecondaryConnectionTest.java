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

    @Test
    void shouldNotSendOutputTheGuestProducedBeforeALoadEvenWhenItIsReadAfterIt() {
        connection.guestOutput(ByteBuffer.wrap(":1\r\n".getBytes()));
        connection.loaded(8); // the guest had written ":1\r\n:2\r\n" when the state was loaded
        epoch.set(5);
        connection.guestOutput(ByteBuffer.wrap(":2".getBytes()));
        connection.guestOutput(ByteBuffer.wrap("\r\n:7\r\n".getBytes()));
        assertEquals(2, redirected.size(), redirected.toString());
        assertEquals(new ProxyMessage.Output("redis", 9, 4, ByteBuffer.wrap(":1\r\n".getBytes())), redirected.get(0));
        assertEquals(new ProxyMessage.Output("redis", 9, 5, ByteBuffer.wrap(":7\r\n".getBytes())), redirected.get(1),
                "only what follows the mark, in the new epoch");
    }
}
