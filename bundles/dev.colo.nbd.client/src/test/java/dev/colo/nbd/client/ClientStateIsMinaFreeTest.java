package dev.colo.nbd.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The handshake's state table must not refer to MINA (the wire helpers are checked with the protocol package). */
class ClientStateIsMinaFreeTest {

    @Test
    void shouldNotReferToMina() throws Exception {
        for (Class<?> type : new Class<?>[] {ClientState.class, ClientEvent.class}) {
            String file = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
            try (InputStream in = type.getResourceAsStream(file)) {
                String constants = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                assertEquals(-1, constants.indexOf("org/apache/mina"), type + " refers to MINA");
            }
        }
    }
}
