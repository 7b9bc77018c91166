package dev.colo.nbd.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The whole transition table, written out independently of the enum, checked for every (state, event). */
class ClientStateTest {

    /** "FROM EVENT TO", one allowed transition per line; every other pair must be refused. */
    private static final String EXPECTED = """
            START DIAL CONNECTING
            START CLOSE CLOSED
            CONNECTING CONNECTED AWAIT_GREETING
            CONNECTING CLOSE CLOSING
            CONNECTING SESSION_CLOSED DEAD
            CONNECTING FAILURE DEAD
            AWAIT_GREETING GREETING SEND_OPTIONS
            AWAIT_GREETING CLOSE CLOSING
            AWAIT_GREETING SESSION_CLOSED DEAD
            AWAIT_GREETING FAILURE DEAD
            SEND_OPTIONS OPTION_SENT AWAIT_OPTION_REPLY
            SEND_OPTIONS CLOSE CLOSING
            SEND_OPTIONS SESSION_CLOSED DEAD
            SEND_OPTIONS FAILURE DEAD
            AWAIT_OPTION_REPLY OPTION_REPLY SEND_OPTIONS
            AWAIT_OPTION_REPLY STARTTLS_ACCEPTED TLS_HANDSHAKE
            AWAIT_OPTION_REPLY EXPORT_ACCEPTED READY
            AWAIT_OPTION_REPLY CLOSE CLOSING
            AWAIT_OPTION_REPLY SESSION_CLOSED DEAD
            AWAIT_OPTION_REPLY FAILURE DEAD
            TLS_HANDSHAKE TLS_SECURED SEND_OPTIONS
            TLS_HANDSHAKE CLOSE CLOSING
            TLS_HANDSHAKE SESSION_CLOSED DEAD
            TLS_HANDSHAKE FAILURE DEAD
            READY CLOSE CLOSING
            READY SESSION_CLOSED DEAD
            READY FAILURE DEAD
            CLOSING SESSION_CLOSED CLOSED
            CLOSING FAILURE DEAD
            """;

    private static Map<ClientState, Map<ClientEvent, ClientState>> expected() {
        Map<ClientState, Map<ClientEvent, ClientState>> table = new EnumMap<>(ClientState.class);
        EXPECTED.lines().map(String::trim).filter(line -> !line.isEmpty()).forEach(line -> {
            String[] parts = line.split(" ");
            table.computeIfAbsent(ClientState.valueOf(parts[0]), s -> new EnumMap<>(ClientEvent.class))
                    .put(ClientEvent.valueOf(parts[1]), ClientState.valueOf(parts[2]));
        });
        return table;
    }

    @Test
    void shouldAllowExactlyTheTransitionsOfTheTableForEveryStateAndEvent() {
        Map<ClientState, Map<ClientEvent, ClientState>> table = expected();
        int allowed = 0;
        int refused = 0;
        for (ClientState state : ClientState.values()) {
            for (ClientEvent event : ClientEvent.values()) {
                Optional<ClientState> want = Optional.ofNullable(table.getOrDefault(state, Map.of()).get(event));
                assertEquals(want, state.next(event), state + " on " + event);
                if (want.isPresent()) {
                    allowed++;
                } else {
                    refused++;
                }
            }
        }
        assertEquals(29, allowed);
        assertEquals(ClientState.values().length * ClientEvent.values().length - 29, refused);
    }

    @Test
    void shouldKeepDeadAndClosedTerminalAndDistinct() {
        for (ClientEvent event : ClientEvent.values()) {
            assertTrue(ClientState.DEAD.next(event).isEmpty(), "DEAD on " + event);
            assertTrue(ClientState.CLOSED.next(event).isEmpty(), "CLOSED on " + event);
        }
        assertTrue(ClientState.DEAD.isTerminal() && ClientState.CLOSED.isTerminal());
        assertEquals(Optional.of(ClientState.CLOSED), ClientState.CLOSING.next(ClientEvent.SESSION_CLOSED));
        assertEquals(Optional.of(ClientState.DEAD), ClientState.READY.next(ClientEvent.SESSION_CLOSED));
    }

    @Test
    void shouldReachEveryStateFromStart() {
        Set<ClientState> seen = new HashSet<>(Set.of(ClientState.START));
        boolean grew = true;
        while (grew) {
            grew = false;
            for (ClientState state : Set.copyOf(seen)) {
                grew |= seen.addAll(state.transitions().values());
            }
        }
        assertEquals(Set.of(ClientState.values()), seen);
    }

    @Test
    void shouldExposeAnUnmodifiableTable() {
        assertThrows(UnsupportedOperationException.class,
                () -> ClientState.START.transitions().put(ClientEvent.FAILURE, ClientState.READY));
        assertFalse(ClientState.READY.isHandshaking());
        assertTrue(ClientState.TLS_HANDSHAKE.isHandshaking());
    }
}
