package dev.colo.nbd.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.colo.nbd.client.ClientEvent;
import dev.colo.nbd.client.ClientState;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The wire helpers (candidates for dev.colo.nbd.protocol) and the state table must not refer to MINA. */
class ClientWireIsMinaFreeTest {

    @Test
    void shouldNotReferToMina() throws Exception {
        for (Class<?> type : new Class<?>[] {ClientWire.class, ClientWire.SimpleReplyPayload.class, ClientState.class,
                ClientEvent.class}) {
            String file = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
            try (InputStream in = type.getResourceAsStream(file)) {
                String constants = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                assertEquals(-1, constants.indexOf("org/apache/mina"), type + " refers to MINA");
            }
        }
    }
}
