package dev.colo.proxy.internal.primary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ListenerBindingTest {
    private static final InetSocketAddress BOUND = new InetSocketAddress("127.0.0.1", 6380);

    /** What each bind does, in order: throw the exception, or bind. */
    private final Deque<IOException> failures = new ArrayDeque<>();
    private int binds;
    /** The timer: the delays asked for, and the retries not run yet. */
    private final List<Long> delays = new ArrayList<>();
    private final Deque<Runnable> due = new ArrayDeque<>();
    private final List<CompletableFuture<?>> scheduled = new ArrayList<>();
    private final List<String> changes = new ArrayList<>();
    private final ListenerBinding binding = new ListenerBinding("kv", "127.0.0.1:6380", this::bind, (millis, task) -> {
        delays.add(millis);
        due.add(task);
        CompletableFuture<?> future = new CompletableFuture<>();
        scheduled.add(future);
        return future;
    }, (listening, error) -> changes.add(listening + " " + error));

    private InetSocketAddress bind() throws IOException {
        binds++;
        IOException failure = failures.poll();
        if (failure != null) {
            throw failure;
        }
        return BOUND;
    }

    private void failTimes(int times, IOException failure) {
        for (int i = 0; i < times; i++) {
            failures.add(failure);
        }
    }

    @Test
    void aFailedBindIsRetriedAfter100MsDoublingUpTo2sUntilItBinds() {
        failTimes(7, new BindException("Address already in use"));

        assertNull(binding.start());
        assertFalse(binding.isListening());
        while (!due.isEmpty()) {
            due.poll().run();
        }

        assertTrue(binding.isListening());
        assertEquals(8, binds);
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L), delays);
        assertEquals(List.of("false java.net.BindException: Address already in use", "true "), changes,
                "the same failure is told once, not at every retry");
    }

    @Test
    void aNewCauseIsToldAgain() {
        failures.add(new BindException("Address already in use"));
        failures.add(new SocketException("Cannot assign requested address"));

        binding.start();
        due.poll().run();
        due.poll().run();

        assertEquals(List.of("false java.net.BindException: Address already in use",
                "false java.net.SocketException: Cannot assign requested address", "true "), changes);
        assertEquals(List.of(100L, 200L), delays);
    }

    @Test
    void aBindAtFirstAttemptListensWithoutRetry() {
        assertEquals(BOUND, binding.start());

        assertTrue(binding.isListening());
        assertEquals(List.of("true "), changes);
        assertTrue(delays.isEmpty());
    }

    @Test
    void closingStopsTheRetriesAndNothingBindsAfterIt() {
        failTimes(1, new BindException("Address already in use"));
        binding.start();

        binding.close();
        due.poll().run(); // a retry the timer had already started

        assertTrue(scheduled.get(0).isCancelled());
        assertEquals(1, binds, "no bind after close");
        assertFalse(binding.isListening());
        assertEquals(List.of("false java.net.BindException: Address already in use"), changes);
    }

    @Test
    void closingABoundListenerTellsItStopped() {
        binding.start();

        binding.close();

        assertFalse(binding.isListening());
        assertEquals(List.of("true ", "false "), changes);
    }
}
