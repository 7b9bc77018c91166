package dev.colo.checkpoint.internal.run;

import dev.colo.api.guest.ProtectedGuest;
import dev.colo.api.replication.ProtectedDisk;
import dev.colo.checkpoint.internal.faults.InjectedFaults;
import dev.colo.checkpoint.internal.protocol.CheckpointMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A primary and a secondary coordinator in one process: every message goes through the codec, the secondary
 * handles them on its own thread in order, and either direction can be cut by a predicate (a peer that died
 * at that point), and faults can be armed on either side. {@link #events} records the steps that must happen in
 * order on both sides, and the secondary's state going stale.
 */
final class CheckpointPair implements AutoCloseable {
    final MapGuest primaryGuest = new MapGuest("kv");
    final MapGuest secondaryGuest = new MapGuest("kv");
    final StubDisk primaryDisk = new StubDisk("disk0");
    final StubDisk secondaryDisk = new StubDisk("disk0");
    final List<String> events = new CopyOnWriteArrayList<>();
    final Replies replies = new Replies();
    final SecondaryCheckpoint secondary;
    final PrimaryCheckpoint primary;
    /** Messages to the secondary for which this holds are lost. */
    volatile Predicate<CheckpointMessage> lostToSecondary = message -> false;
    /** Replies to the primary for which this holds are lost. */
    volatile Predicate<CheckpointMessage> lostToPrimary = message -> false;
    private final ExecutorService secondaryThread = Executors.newSingleThreadExecutor();

    CheckpointPair(Duration replyTimeout) {
        this(replyTimeout, InjectedFaults.NONE, InjectedFaults.NONE);
    }

    CheckpointPair(Duration replyTimeout, InjectedFaults primaryFaults, InjectedFaults secondaryFaults) {
        secondary = new SecondaryCheckpoint(reply -> {
            if (!lostToPrimary.test(reply)) {
                replies.offer(viaWire(reply));
            }
        }, local("secondary", secondaryGuest, secondaryDisk), (epoch, full, bytes, reasons) -> { },
                (epoch, step, why) -> events.add("secondary stale " + epoch + " at " + step), secondaryFaults);
        primary = new PrimaryCheckpoint(message -> {
            if (!lostToSecondary.test(message)) {
                CheckpointMessage decoded = viaWire(message);
                secondaryThread.execute(() -> secondary.onMessage(decoded));
            }
        }, replies, local("primary", primaryGuest, primaryDisk), replyTimeout, primaryFaults);
    }

    private CheckpointLocal local(String node, MapGuest guest, StubDisk disk) {
        Map<String, ProtectedGuest> guests = Map.of(guest.name(), guest);
        return new CheckpointLocal() {
            @Override
            public Optional<ProtectedGuest> guest(String name) {
                return Optional.ofNullable(guests.get(name));
            }

            @Override
            public List<String> guestNames() {
                return List.copyOf(guests.keySet());
            }

            @Override
            public List<ProtectedDisk> disks() {
                return List.of(disk);
            }

            @Override
            public void released(long epoch) {
                events.add(node + " released " + epoch);
            }

            @Override
            public void loaded(long epoch) {
                events.add(node + " loaded " + epoch);
            }
        };
    }

    /** Waits until the secondary handled everything sent to it so far. */
    void settle() throws InterruptedException {
        java.util.concurrent.Future<?> marker = secondaryThread.submit(() -> { });
        try {
            marker.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    private static CheckpointMessage viaWire(CheckpointMessage message) {
        try {
            return CheckpointMessage.decode(message.type(), message.encode());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        secondaryThread.shutdownNow();
    }
}
