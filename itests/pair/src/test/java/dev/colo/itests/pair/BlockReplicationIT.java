package dev.colo.itests.pair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.colo.itests.support.Intruders;
import dev.colo.itests.support.Keys;
import dev.colo.itests.support.LocalPair;
import dev.colo.itests.support.Processes;
import dev.colo.itests.support.ReplicationJmx;
import dev.colo.nbd.client.NbdClient;
import dev.colo.testing.ThisMachine;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.openmbean.CompositeData;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Block replication of the real distribution's local pair, through the doors a user has: {@code qemu-io},
 * {@code nbdcopy} and {@code nbdinfo} on each node's NBD view of disk0, the Replication MXBean over remote
 * JMX, kill -9 of a node and {@code bin/colo pair restart}. The disks' files are compared byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BlockReplicationIT {
    private static final Duration PAIR_UP_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STATE_TIMEOUT = Duration.ofSeconds(60);
    private static final String DISK = "disk0";
    private static final long DISK_BYTES = 1L << 30;

    private Path work;
    private LocalPair pair;
    private LocalPair.Node primary;
    private LocalPair.Node secondary;

    @BeforeAll
    void pairUp() throws Exception {
        Path distribution = Distribution.orSkip("replication");
        for (String tool : List.of("qemu-io", "nbdcopy", "nbdinfo")) {
            assumeTrue(ThisMachine.hasTool(tool), tool + " is not installed (apt-get install qemu-utils libnbd-bin): skipping the "
                    + "block replication test");
        }
        work = Distribution.work("replication");
        // disk0 alone: no guest writing to it and no checkpoints but the test's own
        pair = LocalPair.up(distribution, work.resolve("pair"), PAIR_UP_TIMEOUT, "--no-guest");
        primary = pair.node("colo-a");
        secondary = pair.node("colo-b");
        // the disks' own failover is what this test drives, by hand: no node fails over by itself
        LocalPair.manualFailover(primary);
        LocalPair.manualFailover(secondary);
        try (ReplicationJmx p = ReplicationJmx.of(primary, DISK)) {
            p.await("protected", bean -> "RUNNING".equals(String.valueOf(bean.unchecked("Stage")))
                    && !(Boolean) bean.unchecked("Degraded"), STATE_TIMEOUT);
        }
    }

    @AfterAll
    void pairDown() {
        if (pair != null) {
            pair.down();
        }
    }

    @Test
    @Order(1)
    void primaryWritesReachSAndACheckpointMakesBothDisksIdentical() throws Exception {
        qemuIo(primary, "write -P 0x11 0 1M", "write -P 0x22 104857599 4097", "write -P 0x33 1073737728 4096",
                "read -P 0x22 104857599 4097");
        long epoch = checkpointBoth();
        assertTrue(epoch >= 1, "epoch " + epoch);
        assertIdentical(primary.disk(DISK).localPath(), secondary.disk(DISK).localPath(), "primary disk and S");
        Path view = copyOut(secondary, "secondary-view-1.img");
        assertIdentical(primary.disk(DISK).localPath(), view, "primary disk and the secondary's view");
    }

    @Test
    @Order(2)
    void theSecondaryGuestsWritesStayInItsViewUntilTheNextCheckpoint() throws Exception {
        qemuIo(secondary, "write -P 0x77 4096 8192", "read -P 0x77 4096 8192");
        qemuIo(primary, "read -P 0x11 0 1M"); // the primary never sees the secondary's writes
        assertEquals(0x11, byteAt(secondary.disk(DISK).localPath(), 4096), "S keeps the primary's data");
        try (ReplicationJmx s = ReplicationJmx.of(secondary, DISK)) {
            assertTrue(((Number) s.attribute("ActiveOverlayBytes")).longValue() >= 8192);
        }
        checkpointBoth();
        qemuIo(secondary, "read -P 0x11 0 1M"); // gone: the view is the primary's disk again
        try (ReplicationJmx s = ReplicationJmx.of(secondary, DISK)) {
            assertEquals(0L, ((Number) s.attribute("ActiveOverlayBytes")).longValue());
            assertEquals(0L, ((Number) s.attribute("HiddenOverlayBytes")).longValue());
        }
    }

    @Test
    @Order(3)
    void aClientWithoutATrustedCertificateGetsNoDataFromTheReplicationExport() throws Exception {
        int port = secondary.disk(DISK).replicationPort();
        Processes.Result plain = Processes.run(List.of("nbdinfo", "nbd://127.0.0.1:" + port + "/" + DISK), null,
                work.resolve("nbdinfo-plaintext.log"), TOOL_TIMEOUT);
        assertNotEquals(0, plain.exit(), "a plaintext client was served:\n" + plain.output());

        String password = "intruder-pw";
        SSLContext untrusted = Intruders.tlsContext(Keys.untrustedKeyStore(work.resolve("intruder"), "colo-a",
                password), password);
        ExecutionException refused = assertThrows(ExecutionException.class, () -> NbdClient.connect("127.0.0.1", port,
                DISK, NbdClient.Options.defaults().withAutoReconnect(false).withTls(untrusted))
                .get(30, TimeUnit.SECONDS).close());
        System.out.println("[driver] untrusted NBD client refused: " + refused.getCause());
        assertIdentical(primary.disk(DISK).localPath(), secondary.disk(DISK).localPath(), "S after the intruders");
    }

    @Test
    @Order(4)
    void aKilledSecondaryIsResynchronisedWithOnlyTheDirtyBlocks() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong acknowledged = new AtomicLong();
        Thread stream = new Thread(() -> writeStream(writing, acknowledged), "write-stream");
        stream.start();
        Thread.sleep(1000);
        LocalPair.kill(secondary);
        Thread.sleep(2000);
        writing.set(false);
        stream.join(30_000);
        long dirty;
        try (ReplicationJmx p = ReplicationJmx.of(primary, DISK)) {
            p.await("degraded", bean -> (Boolean) bean.unchecked("Degraded"), STATE_TIMEOUT);
            dirty = p.dirtyBytes();
        }
        System.out.printf("[driver] %d writes acknowledged, %d dirty bytes after the secondary died%n",
                acknowledged.get(), dirty);
        assertTrue(dirty > 0 && dirty < DISK_BYTES / 8, "dirty bytes " + dirty);

        secondary = pair.restart(secondary, PAIR_UP_TIMEOUT);
        try (ReplicationJmx p = ReplicationJmx.of(primary, DISK)) {
            p.await("protected again", bean -> !(Boolean) bean.unchecked("Degraded"), STATE_TIMEOUT);
            CompositeData resync = p.resync();
            long sent = (Long) resync.get("totalBytes") - (Long) resync.get("remainingBytes");
            System.out.printf("[driver] resynchronised %d bytes of %d (%d B/s)%n", sent, DISK_BYTES,
                    (Long) resync.get("bytesPerSecond"));
            assertEquals(dirty, sent, "exactly the dirty blocks are sent");
            assertEquals(0L, p.dirtyBytes());
        }
        checkpointBoth();
        assertIdentical(primary.disk(DISK).localPath(), secondary.disk(DISK).localPath(), "primary disk and S");
    }

    @Test
    @Order(5)
    void afterThePrimaryDiesAFailoverCommitCutByACrashCompletesOnRestartWithSExactlyTheSecondarysView()
            throws Exception {
        Path random = work.resolve("random.bin");
        writeRandom(random, 512L << 20);
        Processes.Result fill = Processes.run(List.of("nbdcopy", random.toString(), secondary.disk(DISK).nbdUri()),
                null, work.resolve("nbdcopy-fill.log"), TOOL_TIMEOUT);
        assertEquals(0, fill.exit(), fill.output());
        qemuIo(primary, "write -P 0x44 600M 1M"); // the primary changes S this epoch too: H keeps the old blocks
        Path expected = copyOut(secondary, "expected-view.img");

        LocalPair.kill(primary); // in sync when it dies: its disk is the secondary's S of this epoch
        Path journal = secondary.disk(DISK).localPath().resolveSibling(DISK + ".img.colo-commit");
        try (ReplicationJmx s = ReplicationJmx.of(secondary, DISK)) {
            assertEquals("FAILOVER", String.valueOf(s.invoke("failover")));
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Files.exists(journal) && System.nanoTime() < deadline) {
            Thread.sleep(2); // the overlays are forced before the journal is written
        }
        LocalPair.kill(secondary);
        assertTrue(Files.exists(journal), "no commit journal when the secondary was killed: either the commit ended "
                + "before (the test proves nothing; make A larger) or it never started");

        secondary = pair.restart(secondary, PAIR_UP_TIMEOUT);
        try (ReplicationJmx s = ReplicationJmx.of(secondary, DISK)) {
            s.await("DONE", bean -> "DONE".equals(String.valueOf(bean.unchecked("Stage"))), STATE_TIMEOUT);
        }
        assertFalse(Files.exists(journal), "the journal of the completed commit is gone");
        assertIdentical(expected, secondary.disk(DISK).localPath(), "S after the recovered commit and the view");
    }

    @Test
    @Order(6)
    void theSurvivorBecomesPrimaryAndReprotectsTheOldPrimaryWithOnlyTheBlocksThatDiffer() throws Exception {
        setRole(secondary, "primary"); // the running survivor picks its new role up from the file
        long differing;
        try (ReplicationJmx survivor = ReplicationJmx.of(secondary, DISK)) {
            survivor.await("primary and RUNNING", bean -> "primary".equals(String.valueOf(bean.unchecked("Role")))
                    && "RUNNING".equals(String.valueOf(bean.unchecked("Stage"))), STATE_TIMEOUT);
            differing = survivor.dirtyBytes(); // what A and H held when the failover committed them
        }
        System.out.printf("[driver] the survivor's disk differs from the old primary's in %d bytes%n", differing);
        assertTrue(differing >= (512L << 20) && differing < DISK_BYTES, "dirty bytes " + differing);

        setRole(primary, "secondary");
        LocalPair.Node oldPrimary = pair.restart(primary, PAIR_UP_TIMEOUT);
        try (ReplicationJmx survivor = ReplicationJmx.of(secondary, DISK)) {
            survivor.await("protected by the old primary", bean -> !(Boolean) bean.unchecked("Degraded"),
                    Duration.ofSeconds(180));
            CompositeData resync = survivor.resync();
            long sent = (Long) resync.get("totalBytes") - (Long) resync.get("remainingBytes");
            System.out.printf("[driver] re-protection sent %d bytes of %d%n", sent, DISK_BYTES);
            assertEquals(differing, sent, "incremental: exactly the blocks that differ, not the whole disk");
        }
        try (ReplicationJmx p = ReplicationJmx.of(secondary, DISK); ReplicationJmx s = ReplicationJmx.of(oldPrimary, DISK)) {
            p.invoke("checkpoint");
            s.invoke("checkpoint");
        }
        assertIdentical(secondary.disk(DISK).localPath(), oldPrimary.disk(DISK).localPath(),
                "the new primary's disk and the new secondary's S");
    }

    /** Edits {@code role} in the node's pair configuration (a running node applies it within a second). */
    private static void setRole(LocalPair.Node node, String role) throws IOException {
        String cfg = Files.readString(node.pairCfg());
        Files.writeString(node.pairCfg(), cfg.replaceAll("(?m)^role\\s*=.*$", "role = " + role));
    }

    /** Ends the epoch on both disks (what the checkpoint coordinator does after transferring the guest state). */
    private long checkpointBoth() throws IOException {
        try (ReplicationJmx p = ReplicationJmx.of(primary, DISK); ReplicationJmx s = ReplicationJmx.of(secondary, DISK)) {
            long epoch = (Long) p.invoke("checkpoint");
            s.invoke("checkpoint");
            return epoch;
        }
    }

    /** Random 4 KiB writes to the primary's view until told to stop; counts the acknowledged ones. */
    private void writeStream(AtomicBoolean writing, AtomicLong acknowledged) {
        Random random = new Random(42);
        byte[] block = new byte[4096];
        try (NbdClient client = NbdClient.connect(URI.create(primary.disk(DISK).nbdUri()),
                NbdClient.Options.defaults().withAutoReconnect(false)).get(30, TimeUnit.SECONDS)) {
            while (writing.get()) {
                random.nextBytes(block);
                long offset = (long) random.nextInt((int) (DISK_BYTES / 4096)) * 4096;
                client.write(offset, block, false).get(30, TimeUnit.SECONDS);
                acknowledged.incrementAndGet();
            }
        } catch (Exception e) {
            throw new AssertionError("the primary failed a guest write: " + e, e);
        }
    }

    private void qemuIo(LocalPair.Node node, String... commands) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("qemu-io", "-f", "raw", node.disk(DISK).nbdUri()));
        for (String c : commands) {
            command.add("-c");
            command.add(c);
        }
        Processes.Result io = Processes.run(command, null, work.resolve("qemu-io-" + node.nodeId() + ".log"),
                TOOL_TIMEOUT);
        assertEquals(0, io.exit(), io.output());
        assertFalse(io.output().contains("Pattern verification failed") || io.output().contains("error"), io.output());
    }

    private Path copyOut(LocalPair.Node node, String name) throws Exception {
        Path file = work.resolve(name);
        Files.deleteIfExists(file);
        Processes.Result copy = Processes.run(List.of("nbdcopy", node.disk(DISK).nbdUri(), file.toString()), null,
                work.resolve("nbdcopy-" + name + ".log"), TOOL_TIMEOUT);
        assertEquals(0, copy.exit(), copy.output());
        return file;
    }

    private static void assertIdentical(Path a, Path b, String what) throws IOException {
        long mismatch = Files.mismatch(a, b);
        assertEquals(-1L, mismatch, what + " differ from byte " + mismatch + " (" + a + ", " + b + ")");
    }

    private static int byteAt(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            raf.seek(offset);
            return raf.read();
        }
    }

    private static void writeRandom(Path file, long bytes) throws IOException {
        Random random = new Random(7);
        byte[] chunk = new byte[1 << 20];
        try (var out = Files.newOutputStream(file)) {
            for (long written = 0; written < bytes; written += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
    }
}
