package dev.colo.nbd.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.client.ClientEvent;
import dev.colo.nbd.client.ClientState;
import dev.colo.nbd.client.NbdConnectionException;
import dev.colo.nbd.protocol.NbdCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Transitions of a connection go through compare-and-set and return the previous state. */
class ConnectionTransitionTest {

    private static Connection connection(List<Throwable> terminations) {
        return new Connection(1, "nbd://test/x", "x", null, (c, cause) -> terminations.add(cause));
    }

    @Test
    void shouldReturnThePreviousStateOrNullWhenRefused() {
        Connection connection = connection(new ArrayList<>());
        assertNull(connection.transition(ClientEvent.GREETING));
        assertEquals(ClientState.START, connection.transition(ClientEvent.DIAL));
        assertEquals(ClientState.CONNECTING, connection.state());
        assertNull(connection.transition(ClientEvent.DIAL));
    }

    @Test
    void shouldLetExactlyOneOfManyConcurrentFailuresWin() throws Exception {
        Connection connection = connection(new ArrayList<>());
        connection.transition(ClientEvent.DIAL);
        AtomicInteger winners = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ClientEvent event = i % 2 == 0 ? ClientEvent.FAILURE : ClientEvent.CLOSE;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                if (connection.transition(event) == ClientState.CONNECTING) {
                    winners.incrementAndGet();
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(1, winners.get());
    }

    @Test
    void shouldRefuseRequestsBeforeReadyAndFailTheHandshakeOnConnectFailure() {
        List<Throwable> terminations = new ArrayList<>();
        Connection connection = connection(terminations);
        connection.transition(ClientEvent.DIAL);
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> connection.submit(NbdCommand.READ, 0, 0, 1, null).get());
        assertInstanceOf(NbdConnectionException.class, refused.getCause());
        connection.connectFailed(new java.net.ConnectException("refused"));
        assertEquals(ClientState.DEAD, connection.state());
        assertTrue(connection.ready().isCompletedExceptionally());
        assertEquals(ClientState.DEAD, connection.finished().join());
        assertEquals(1, terminations.size());
    }

    @Test
    void shouldCloseFromStartWithoutDialling() {
        Connection connection = connection(new ArrayList<>());
        assertEquals(ClientState.CLOSED, connection.close().join());
    }
}
