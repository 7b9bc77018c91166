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
 * tmpfs ({@link SmallFileSystem}); then each round fills it: while that node is the secondary (the primary's
 * writes and the secondary's own cannot land: the primary must drop it and serve on), and, after a failover made
 * it the primary, while it serves (its guest's writes fail: clients get errors, never an acknowledgement that is
 * then lost). Freed, the pair is protected again by itself. {@link FaultSuite} checks the invariants after each.
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

    /** The secondary's disk full: the primary drops it (degraded) and serves on; freed, protection resumes. */
    private void secondaryFull(int round, ClientLoad load) throws Exception {
        LocalPair.Node primary = suite.node("primary");
        out.printf("[faults] round %d: the file system of the secondary %s's disk is full%n", round, small.nodeId());
        fileSystem.fill();
        suite.count("secondary's disk full");
        try (NodeMBean checkpoints = NodeMBean.at(primary, "dev.colo:type=Checkpoint", "Protecting")) {
            checkpoints.await("unprotected by the full disk", bean -> !(Boolean) bean.unchecked("Protecting"),
                    EFFECT_TIMEOUT);
        } finally {
            fileSystem.free();
        }
        suite.awaitProtected();
        suite.check(load, "after the secondary's disk was full, round " + round);
    }

    /**
     * The primary's disk full: its clients get errors, no lost acknowledgement; freed, it writes and is protected. A
     * disk file with every block allocated (after full resynchronisations, late in a soak) needs no space for any
     * write: the full file system refuses none, and its clients are acknowledged throughout.
     */
    private void primaryFull(int round, ClientLoad load) throws Exception {
        out.printf("[faults] round %d: the file system of the primary %s's disk is full%n", round, small.nodeId());
        boolean overwritesOnly = true;
        for (LocalPair.Disk disk : small.disks()) {
            overwritesOnly &= SmallFileSystem.fullyAllocated(disk.localPath());
        }
        long refused = load.refused();
        long acknowledged = load.acknowledgedCount();
        fileSystem.fill();
        suite.count("primary's disk full");
        try {
            if (overwritesOnly) {
                out.printf("[faults] every block of the primary's disk file is allocated: its writes need no space%n");
                suite.count("primary's disk full, every block allocated");
                await("clients' writes acknowledged on the full file system",
                        () -> load.acknowledgedCount() - acknowledged - 100);
            } else {
                await("clients refused a write", () -> load.refused() - refused);
            }
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
