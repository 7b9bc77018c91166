package dev.colo.itests.support;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A full file system on either side. Once per pair, the secondary's protected disk (S, A and H) moves onto a small
 * tmpfs ({@link SmallFileSystem}); then each round fills it: while that node is the secondary, and, after a failover
 * made it the primary, while it serves. Freed, the pair is protected again by itself. {@link FaultSuite} checks the
 * invariants after each.
 *
 * <p>Whether a write needs space is not known from outside: a write into a block the file has allocated before
 * needs none, and the guest's log writes the same blocks of its disk over and over (S is allocated whole by a full
 * resynchronisation, H by the copies it makes then, and A wherever the secondary's guest wrote). So each side accepts
 * either effect and never a stall: the secondary's writes fail and the primary drops it (unprotected), or the pair
 * stays protected and its clients are acknowledged on; the primary's writes fail and its clients get errors (never
 * an acknowledgement that is then lost), or they are acknowledged on.
 */
final class DiskFullFaults implements AutoCloseable {
    /**
     * The tmpfs holds S, A and H each as large as the disk, so that only the ballast fills it: a tmpfs smaller than
     * that filled up by itself in long nemesis soaks (S fully allocated after resynchronisations, H keeping the old
     * content of what a resynchronisation rewrote), after which the secondary could never be resynchronised again
     * (ENOSPC, as an overcommitted file system should).
     */
    private static final int DISK_COPIES = 3;
    private static final Duration EFFECT_TIMEOUT = Duration.ofSeconds(60);

    private final FaultSuite suite;
    private final LocalPair pair;
    private final PrintStream out;
    private LocalPair.Node small;
    private SmallFileSystem fileSystem;

    DiskFullFaults(FaultSuite suite, LocalPair pair, PrintStream out) {
        this.suite = suite;
        this.pair = pair;
        this.out = out;
    }

    /** Why this machine cannot make these faults; empty if it can. */
    Optional<String> unavailable() {
        return SmallFileSystem.unavailable(pair.dir());
    }

    void run(int round, ClientLoad load) throws Exception {
        if (fileSystem == null) {
            moveSecondaryDiskToSmallFileSystem();
        }
        if (!"secondary".equals(current().role())) {
            suite.killPrimary(round);
            suite.check(load, "before the disk-full faults, round " + round);
        }
        secondaryFull(round, load);
        suite.killPrimary(round); // the node on the small file system takes over
        suite.check(load, "after the node on the small file system took over, round " + round);
        primaryFull(round, load);
    }

    /**
     * The secondary's disk full: the primary drops it (degraded) and serves on, or the pair serves on protected;
     * freed, it is protected.
     */
    private void secondaryFull(int round, ClientLoad load) throws Exception {
        LocalPair.Node primary = suite.node("primary");
        out.printf("[faults] round %d: the file system of the secondary %s's disk is full%n", round, small.nodeId());
        long acknowledged = load.acknowledgedCount();
        fileSystem.fill();
        suite.count("secondary's disk full");
        try (NodeMBean checkpoints = NodeMBean.at(primary, "dev.colo:type=Checkpoint", "Protecting")) {
            boolean[] unprotected = {false};
            await("unprotected by the full disk, or 100 writes acknowledged protected", () -> {
                unprotected[0] = !(Boolean) checkpoints.unchecked("Protecting");
                return unprotected[0] || load.acknowledgedCount() - acknowledged > 100 ? 1 : 0;
            });
            out.printf("[faults] the full secondary %s%n", unprotected[0] ? "was dropped: unprotected"
                    : "needed no space: protected, its clients acknowledged on");
            suite.count(unprotected[0] ? "secondary's disk full, dropped" : "secondary's disk full, no space needed");
        } finally {
            fileSystem.free();
        }
        suite.awaitProtected();
        suite.check(load, "after the secondary's disk was full, round " + round);
    }

    /**
     * The primary's disk full: its clients get errors, or are acknowledged on (writes that need no space), never an
     * acknowledgement that is then lost; freed, it writes and is protected.
     */
    private void primaryFull(int round, ClientLoad load) throws Exception {
        out.printf("[faults] round %d: the file system of the primary %s's disk is full%n", round, small.nodeId());
        long refused = load.refused();
        long acknowledged = load.acknowledgedCount();
        fileSystem.fill();
        suite.count("primary's disk full");
        try {
            await("clients refused a write, or 100 writes acknowledged", () -> load.refused() > refused
                    || load.acknowledgedCount() - acknowledged > 100 ? 1 : 0);
            boolean refusing = load.refused() > refused;
            out.printf("[faults] the full primary %s%n", refusing ? "refused writes"
                    : "needed no space: its clients acknowledged on");
            suite.count(refusing ? "primary's disk full, writes refused" : "primary's disk full, no space needed");
        } finally {
            fileSystem.free();
        }
        long before = load.acknowledgedCount();
        await("clients' writes acknowledged again", () -> load.acknowledgedCount() - before);
        out.printf("[faults] %d writes refused while full, %d acknowledged in all%n", load.refused() - refused,
                load.acknowledgedCount() - acknowledged);
        suite.awaitProtected();
        suite.check(load, "after the primary's disk was full, round " + round);
    }

    /** Stops the secondary, moves its disk files onto a new small tmpfs (symbolic links in their place), restarts it. */
    private void moveSecondaryDiskToSmallFileSystem() throws Exception {
        small = suite.node("secondary");
        long bytes = 0;
        for (LocalPair.Disk disk : small.disks()) {
            bytes += DISK_COPIES * Files.size(disk.localPath());
        }
        out.printf("[faults] the disk of the secondary %s moves onto a %d MiB tmpfs%n", small.nodeId(), bytes >> 20);
        LocalPair.stop(small);
        fileSystem = SmallFileSystem.mount(small.home().resolve("data/small-fs"), bytes);
        for (LocalPair.Disk disk : small.disks()) {
            for (Path file : List.of(disk.localPath(), disk.activePath(), disk.hiddenPath())) {
                Path moved = fileSystem.path().resolve(file.getFileName());
                Processes.require(List.of("cp", "--sparse=always", file.toString(), moved.toString()));
                Files.delete(file);
                Files.createSymbolicLink(file, moved);
            }
        }
        small = pair.restart(small, Duration.ofSeconds(300));
        suite.awaitProtected();
    }

    private LocalPair.Node current() {
        return pair.node(small.nodeId());
    }

    private static void await(String what, LongSupplier progress) throws InterruptedException {
        long deadline = System.nanoTime() + EFFECT_TIMEOUT.toNanos();
        while (progress.getAsLong() <= 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within " + EFFECT_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws IOException {
        if (fileSystem != null) {
            fileSystem.close();
        }
    }
}
