package dev.colo.itests.support;

import dev.colo.testing.RespClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;

/**
 * Hostile input at every network door of a running pair for a bounded time: the primary's NBD export (handshake and
 * requests) and peer-link port, the secondary's replication port (both before TLS), and the protected service
 * through the proxy. Input is
 * generated from a seed (printed, so a failure can be replayed): random bytes, and mutations of valid openings of each
 * protocol. Afterwards: both nodes alive and answering, the pair protected, the scratch disk unchanged byte for byte,
 * and the heap after a full GC not grown beyond a bound.
 */
public final class FuzzSuite {
    /** How much the heap (used, after a full GC) may grow over a run. */
    public static final long HEAP_GROWTH_BOUND_BYTES = 64L << 20;
    private static final byte[] NBD_CLIENT_FLAGS = {0, 0, 0, 3};
    private static final byte[] NBD_OPTION_MAGIC = "IHAVEOPT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NBD_REQUEST_MAGIC = {0x25, 0x60, (byte) 0x95, 0x13};
    private static final byte[] TLS_HANDSHAKE = {0x16, 0x03, 0x01};
    private static final String RESP_SET = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";

    /** What one door took: connections made, bytes sent, connections the node closed on us. */
    public record Door(String name, int connections, long bytesSent, int closedByNode) {
    }

    /** The run: its seed, each door, and the heap before and after. */
    public record Summary(long seed, List<Door> doors, long heapBeforeBytes, long heapAfterBytes) {
        public String report() {
            return "seed " + seed + ", " + doors + ", heap used after GC " + (heapBeforeBytes >> 20) + " MiB -> "
                    + (heapAfterBytes >> 20) + " MiB";
        }
    }

    private final LocalPair pair;
    private final PrintStream out;
    private final Random random;
    private final long seed;

    public FuzzSuite(LocalPair pair, long seed, PrintStream out) {
        this.pair = pair;
        this.seed = seed;
        this.random = new Random(seed);
        this.out = out;
    }

    /** Fuzzes every door for {@code perDoor}; then checks the node. */
    public Summary run(Duration perDoor) throws Exception {
        LocalPair.Node primary = PairChecks.node(pair, "primary");
        Path scratch = primary.home().resolve("data/scratch.img");
        String scratchBefore = sha256(scratch);
        long heapBefore = heapAfterGc(primary);
        URI nbd = URI.create(primary.nbdUri());
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("NBD export", nbd.getPort());
        ports.put("peer link (TLS)", primary.peerLinkPort());
        // the secondary is the one that takes replication
        ports.put("replication (TLS)", PairChecks.node(pair, "secondary").disks().get(0).replicationPort());
        ports.put("protected service", pair.service().port());
        List<Door> doors = new ArrayList<>();
        for (Map.Entry<String, Integer> door : ports.entrySet()) {
            doors.add(fuzz(door.getKey(), door.getValue(), perDoor));
        }
        for (LocalPair.Node node : pair.nodes()) {
            if (!node.process().map(ProcessHandle::isAlive).orElse(false)) {
                throw new AssertionError(node.nodeId() + " died under fuzzing (seed " + seed + ")");
            }
        }
        try (RespClient client = new RespClient(new InetSocketAddress(pair.service().host(), pair.service().port()))) {
            if (!client.call("PING").equals("+PONG\r\n")) {
                throw new AssertionError("the service does not answer PING after fuzzing (seed " + seed + ")");
            }
        }
        PairChecks.awaitProtected(pair);
        if (!sha256(scratch).equals(scratchBefore)) {
            throw new AssertionError("the scratch disk changed under fuzzing (seed " + seed + ")");
        }
        long heapAfter = heapAfterGc(primary);
        Summary summary = new Summary(seed, doors, heapBefore, heapAfter);
        out.println("[fuzz] " + summary.report());
        if (heapAfter - heapBefore > HEAP_GROWTH_BOUND_BYTES) {
            throw new AssertionError("the heap grew by " + ((heapAfter - heapBefore) >> 20) + " MiB under fuzzing: "
                    + summary.report());
        }
        return summary;
    }

    private Door fuzz(String name, int port, Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        int connections = 0;
        int closed = 0;
        long sent = 0;
        while (System.nanoTime() < deadline) {
            byte[] input = input(name);
            connections++;
            sent += input.length;
            try (Socket socket = new Socket()) {
                try {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                } catch (IOException e) {
                    throw new AssertionError(name + " (port " + port + ") does not accept connections: " + e, e);
                }
                socket.setSoTimeout(200);
                OutputStream output = socket.getOutputStream();
                output.write(input);
                output.flush();
                closed += drainUntilClosed(socket.getInputStream()) ? 1 : 0;
            } catch (IOException e) {
                closed++; // reset by the node: it refused the input
            }
        }
        Door door = new Door(name, connections, sent, closed);
        out.printf("[fuzz] %s (port %d): %d connections, %d bytes, %d closed by the node%n", name, port, connections,
                sent, closed);
        return door;
    }

    /** Reads what the node answers until it closes (true) or stays silent for the read timeout (false). */
    private static boolean drainUntilClosed(InputStream in) throws IOException {
        byte[] buffer = new byte[4096];
        try {
            while (true) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException silent) {
            return false; // waiting for more input, as a server may: we hang up
        }
    }

    /** Random bytes, or a valid opening of the door's protocol with random bytes after or in it. */
    private byte[] input(String door) {
        byte[] prefix = switch (random.nextInt(3)) {
            case 0 -> new byte[0];
            case 1 -> opening(door);
            default -> mutate(opening(door));
        };
        byte[] tail = new byte[random.nextInt(random.nextBoolean() ? 64 : 4096)];
        random.nextBytes(tail);
        return ByteBuffer.allocate(prefix.length + tail.length).put(prefix).put(tail).array();
    }

    private byte[] opening(String door) {
        if (door.startsWith("NBD")) {
            // client flags, then an option header or (after a handshake a real client would finish) a request header
            ByteBuffer nbd = ByteBuffer.allocate(4 + 8 + 8);
            nbd.put(NBD_CLIENT_FLAGS).put(random.nextBoolean() ? NBD_OPTION_MAGIC : padded(NBD_REQUEST_MAGIC))
                    .putInt(random.nextInt(12)).putInt(random.nextInt(1 << 16));
            return nbd.array();
        }
        if (door.contains("TLS")) {
            return TLS_HANDSHAKE;
        }
        return RESP_SET.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] padded(byte[] magic) {
        return ByteBuffer.allocate(8).put(magic).array();
    }

    private byte[] mutate(byte[] valid) {
        byte[] mutated = valid.clone();
        for (int i = 0; i < 1 + random.nextInt(3) && mutated.length > 0; i++) {
            mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
        }
        return mutated;
    }

    private static String sha256(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            while (channel.read(buffer.clear()) > 0) {
                digest.update(buffer.flip());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The node's heap in use after a full collection (over JMX: {@code java.lang:type=Memory}). */
    private static long heapAfterGc(LocalPair.Node node) throws Exception {
        ObjectName memory = new ObjectName("java.lang:type=Memory");
        try (JMXConnector jmx = node.connectJmx()) {
            jmx.getMBeanServerConnection().invoke(memory, "gc", new Object[0], new String[0]);
            CompositeData usage = (CompositeData) jmx.getMBeanServerConnection().getAttribute(memory,
                    "HeapMemoryUsage");
            return (Long) usage.get("used");
        }
    }
}
