package dev.colo.checkpoint.internal.schedule;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.checkpoint.CheckpointOutcome;
import dev.colo.api.checkpoint.CheckpointReason;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CheckpointSchedulerTest {
    private final List<Set<CheckpointReason>> runs = new CopyOnWriteArrayList<>();
    private final List<Long> startNanos = new CopyOnWriteArrayList<>();
    private final List<Long> endNanos = new CopyOnWriteArrayList<>();
    private final AtomicLong epochs = new AtomicLong();

    private CheckpointOutcome run(Set<CheckpointReason> reasons, CountDownLatch hold) {
        startNanos.add(System.nanoTime());
        runs.add(reasons);
        try {
            hold.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        endNanos.add(System.nanoTime());
        return new CheckpointOutcome(epochs.incrementAndGet(), true, "");
    }

    @Test
    void requestsMadeWhileOneRunsCoalesceIntoTheNextWithAllTheirReasons() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        try (CheckpointScheduler scheduler = new CheckpointScheduler("test", 0, 0, reasons -> run(reasons, hold))) {
            CompletableFuture<CheckpointOutcome> first = scheduler.request(CheckpointReason.OPERATOR);
            while (runs.isEmpty()) {
                Thread.sleep(1);
            }
            CompletableFuture<CheckpointOutcome> a = scheduler.request(CheckpointReason.MISCOMPARE);
            CompletableFuture<CheckpointOutcome> b = scheduler.request(CheckpointReason.COMPARE_TIMEOUT);
            CompletableFuture<CheckpointOutcome> c = scheduler.request(CheckpointReason.MISCOMPARE);
            hold.countDown();
            assertEquals(1, first.get(10, TimeUnit.SECONDS).epoch());
            assertEquals(2, a.get(10, TimeUnit.SECONDS).epoch(), "served by the next one");
            assertEquals(2, b.get(10, TimeUnit.SECONDS).epoch());
            assertEquals(2, c.get(10, TimeUnit.SECONDS).epoch());
            assertEquals(List.of(EnumSet.of(CheckpointReason.OPERATOR),
                    EnumSet.of(CheckpointReason.MISCOMPARE, CheckpointReason.COMPARE_TIMEOUT)), runs);
        }
    }

    @Test
    void theNextCheckpointWaitsForTheMinimumGap() throws Exception {
        CountDownLatch open = new CountDownLatch(0);
        try (CheckpointScheduler scheduler = new CheckpointScheduler("test", 0, 200, reasons -> run(reasons, open))) {
            scheduler.request(CheckpointReason.OPERATOR).get(10, TimeUnit.SECONDS);
            scheduler.request(CheckpointReason.MISCOMPARE).get(10, TimeUnit.SECONDS);
            long gapMillis = (startNanos.get(1) - endNanos.get(0)) / 1_000_000;
            assertTrue(gapMillis >= 190, "a storm of requests is spaced: " + gapMillis + " ms");
        }
    }

    @Test
    void aPeriodicCheckpointRunsAfterTheIntervalWithoutOne() throws Exception {
        CountDownLatch open = new CountDownLatch(0);
        try (CheckpointScheduler scheduler = new CheckpointScheduler("test", 50, 0, reasons -> run(reasons, open))) {
            scheduler.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (runs.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(EnumSet.of(CheckpointReason.PERIODIC), runs.get(0));
            assertEquals(EnumSet.of(CheckpointReason.PERIODIC), runs.get(1));
        }
    }

    /** Without periodic checkpoints, nothing but a retry would end a failure's unprotected state. */
    @Test
    void withoutPeriodicCheckpointsOneThatFailedIsTriedAgainUntilOneCompletes() throws Exception {
        AtomicLong failuresLeft = new AtomicLong(2);
        try (CheckpointScheduler scheduler = new CheckpointScheduler("test", 0, 0, reasons -> {
            runs.add(reasons);
            return new CheckpointOutcome(epochs.incrementAndGet(), failuresLeft.getAndDecrement() <= 0, "");
        })) {
            scheduler.start();
            assertFalse(scheduler.request(CheckpointReason.OPERATOR).get(10, TimeUnit.SECONDS).completed());
            await().atMost(Duration.ofSeconds(10)).until(() -> runs.size() >= 3);
            Thread.sleep(3 * CheckpointScheduler.RETRY_MILLIS);
            assertEquals(List.of(EnumSet.of(CheckpointReason.OPERATOR), EnumSet.of(CheckpointReason.PROTECT),
                    EnumSet.of(CheckpointReason.PROTECT)), runs, "tried again until one completed, then no more");
        }
    }

    @Test
    void closingCompletesWhatStillWaitsAsNotDone() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        CheckpointScheduler scheduler = new CheckpointScheduler("test", 0, 0, reasons -> run(reasons, hold));
        scheduler.request(CheckpointReason.OPERATOR);
        while (runs.isEmpty()) {
            Thread.sleep(1);
        }
        CompletableFuture<CheckpointOutcome> waiting = scheduler.request(CheckpointReason.MISCOMPARE);
        scheduler.close();
        hold.countDown();
        assertFalse(waiting.get(10, TimeUnit.SECONDS).completed());
        assertFalse(scheduler.request(CheckpointReason.OPERATOR).get(10, TimeUnit.SECONDS).completed(),
                "a request after close is answered, not left hanging");
    }
}
