package dev.colo.guest.kv.internal.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.guest.ConnectionHeader;
import dev.colo.guest.kv.internal.log.CommandLog;
import dev.colo.guest.kv.internal.resp.QueryBudget;
import dev.colo.guest.kv.internal.store.KvStore;
import dev.colo.storage.FileBlockDevice;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two reference guests over real sockets, as the pair runs them: each connection starts with the proxy's header,
 * the primary's commands come from concurrent clients, the secondary gets the same bytes cut at random places and
 * late, and the primary's execution order as the peer link would carry it. Both answer every connection with the
 * same bytes.
 */
class OrderedServersTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws Exception {
        threads.shutdownNow();
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private record Guest(KvServer server, KvStore store) {
    }

    private Guest guest(String name, AtomicLong clock) throws IOException {
        FileBlockDevice disk = FileBlockDevice.open(dir.resolve(name + ".img"), 64L << 20, false);
        open.add(disk);
        KvStore store = new KvStore(CommandLog.open(disk, m -> { }), clock::get, 8L << 20, 64, 1L << 20);
        KvServer server = new KvServer(name, store, new ServerOptions(1 << 20, new QueryBudget(8L << 20), false,
                10_000, true, 10_000), (failed, what) -> failures.add(what));
        open.add(server);
        return new Guest(server, store);
    }

    private static byte[] commands(Random random, int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            String key = "k" + random.nextInt(3);
            String[] words = switch (random.nextInt(6)) {
                case 0, 1 -> new String[] {"INCR", "shared"};
                case 2 -> new String[] {"SET", key, "v" + i, "PX", Integer.toString(1 + random.nextInt(20))};
                case 3 -> new String[] {"GET", key};
                case 4 -> new String[] {"TIME"};
                default -> new String[] {"DEL", key};
            };
            StringBuilder resp = new StringBuilder("*" + words.length + "\r\n");
            for (String word : words) {
                resp.append('$').append(word.length()).append("\r\n").append(word).append("\r\n");
            }
            out.writeBytes(resp.toString().getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /** The bytes of one RESP reply. */
    private static void readReply(DataInputStream in, ByteArrayOutputStream into) throws IOException {
        String line = readLine(in);
        into.writeBytes((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        switch (line.charAt(0)) {
            case '$' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length >= 0) {
                    into.writeBytes(in.readNBytes(length + 2));
                }
            }
            case '*' -> {
                for (int i = Integer.parseInt(line.substring(1)); i > 0; i--) {
                    readReply(in, into);
                }
            }
            default -> { }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\r') {
            if (b < 0) {
                throw new IOException("the connection ended after " + line);
            }
            line.append((char) b);
        }
        in.read();
        return line.toString();
    }

    private static byte[] replies(Socket socket, int count) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            readReply(in, all);
        }
        return all.toByteArray();
    }

    @Test
    void concurrentClientsGetTheSameBytesFromBothGuests() throws Exception {
        AtomicLong primaryClock = new AtomicLong(1_700_000_000_000L);
        AtomicLong secondaryClock = new AtomicLong(1_600_000_000_000L); // far off: every clock value is the primary's
        Guest primaryGuest = guest("primary", primaryClock);
        KvServer secondary = guest("secondary", secondaryClock).server();
        int primaryPort = primaryGuest.server().start(new InetSocketAddress("127.0.0.1", 0)).getPort();
        int secondaryPort = secondary.start(new InetSocketAddress("127.0.0.1", 0)).getPort();
        secondary.follower().orElseThrow().restored(Map.of()); // as a first checkpoint of a leading primary leaves it
        List<byte[]> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        primaryGuest.store().lead(order::add); // what the proxy does: each message goes to the secondary

        int connections = 10;
        int perConnection = 200;
        Random random = new Random(20261207);
        List<byte[]> input = new ArrayList<>();
        List<Future<byte[]>> primaryReplies = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            byte[] header = new ConnectionHeader(1000 + c, new InetSocketAddress("192.0.2.1", 40000 + c),
                    new InetSocketAddress("127.0.0.1", 6379), false).encode();
            byte[] commands = commands(new Random(random.nextLong()), perConnection);
            input.add(commands);
            Socket socket = new Socket("127.0.0.1", primaryPort);
            open.add(socket);
            primaryReplies.add(threads.submit(() -> {
                OutputStream out = socket.getOutputStream();
                out.write(header);
                for (int at = 0; at < commands.length; at += 97) {
                    out.write(commands, at, Math.min(97, commands.length - at));
                    primaryClock.addAndGet(1);
                }
                return replies(socket, perConnection);
            }));
        }
        List<byte[]> primaryBytes = new ArrayList<>();
        for (Future<byte[]> replies : primaryReplies) {
            primaryBytes.add(replies.get());
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> primaryGuest.store().orderShipped()[0] == (long) connections * perConnection);

        // the secondary: the same input, cut anywhere, connections interleaved, and the order among it
        List<Future<byte[]>> secondaryReplies = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            byte[] header = new ConnectionHeader(1000 + c, new InetSocketAddress("192.0.2.1", 40000 + c),
                    new InetSocketAddress("127.0.0.1", 6379), false).encode();
            byte[] commands = input.get(c);
            Random cuts = new Random(random.nextLong());
            Socket socket = new Socket("127.0.0.1", secondaryPort);
            open.add(socket);
            secondaryReplies.add(threads.submit(() -> {
                OutputStream out = socket.getOutputStream();
                byte[] all = ByteBuffer.allocate(header.length + commands.length).put(header).put(commands).array();
                for (int at = 0; at < all.length;) {
                    int length = Math.min(1 + cuts.nextInt(60), all.length - at);
                    out.write(all, at, length);
                    out.flush();
                    at += length;
                    if (cuts.nextInt(10) == 0) {
                        Thread.sleep(1);
                    }
                }
                return replies(socket, perConnection);
            }));
        }
        Future<?> orderFeed = threads.submit(() -> {
            for (byte[] message : order) {
                secondary.follow(ByteBuffer.wrap(message));
                if (random.nextInt(5) == 0) {
                    Thread.sleep(1);
                }
            }
            return null;
        });
        orderFeed.get();
        for (int c = 0; c < connections; c++) {
            assertEquals(new String(primaryBytes.get(c), StandardCharsets.ISO_8859_1),
                    new String(secondaryReplies.get(c).get(), StandardCharsets.ISO_8859_1), "connection " + c);
        }
        assertEquals(0, secondary.follower().orElseThrow().gaveUp());
        // where each connection's output stands, on both: the bytes its client read, named by the header's id
        Map<Long, Long> marks = new java.util.HashMap<>();
        for (int c = 0; c < connections; c++) {
            marks.put(1000L + c, (long) primaryBytes.get(c).length);
        }
        assertEquals(Optional.of(marks), primaryGuest.server().outputMarks(), "the primary leads");
        assertEquals(Optional.of(marks), secondary.outputMarks(), "the secondary follows");
        secondary.unordered();
        assertEquals(Optional.empty(), secondary.outputMarks(), "a secondary that does not follow cannot say");
        assertTrue(failures.isEmpty(), failures.toString());
    }
}
