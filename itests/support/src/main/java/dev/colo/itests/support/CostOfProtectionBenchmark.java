package dev.colo.itests.support;

import dev.colo.testing.ThisMachine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.management.openmbean.CompositeData;

/**
 * The cost of protection, as a user would measure it: {@code redis-benchmark} against the protected service (through
 * the primary's proxy), against the primary's guest directly, and against {@code redis-server} with an append-only
 * file forced at every write ({@code appendfsync always}, the durability the reference guest gives) and once a
 * second ({@code everysec}), on the same file system. Commands SET, GET, INCR (one shared key: concurrent clients
 * interleave differently on the two guests, the miscompare case) and MSET, with 1 client, 50 clients, and 50
 * clients pipelining 16 requests. Per cell: requests per second, p50 and p99 latency; per protected run the
 * checkpoints it caused, by reason. Then the proxy over the real TLS peer link of the pair against {@code socat} and
 * the guest directly: PING latency with one client, and the throughput of 1 MiB SETs (client to guest) and GETs
 * (guest to client). Prints Markdown tables, one {@code cost.*} line per figure for the report, and a
 * {@code window KEY START END} line (epoch milliseconds) per protected run.
 *
 * <p>Run: {@code mvn -B verify -Pbench -pl itests/support,itests/pair -DskipTests -Dbench.failure-detection.skip=true
 * -Dbench.replication.skip=true -Dbench.checkpoint.skip=true [-Dbench.cost.requests=N]}.
 */
public final class CostOfProtectionBenchmark {
    private static final Duration PAIR_UP_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
    private static final List<String> COMMANDS = List.of("set", "get", "incr", "mset");
    /** What the execution order is measured with, on and off: shared keys, a counter, reads. */
    private static final List<String> UNORDERED_COMMANDS = List.of("set", "get", "incr");
    private static final List<Load> LOADS = List.of(new Load("c1", 1, 1), new Load("c50", 50, 1),
            new Load("c50p16", 50, 16));
    private static final List<String> TARGETS = List.of("protected", "guest", "redis-always", "redis-everysec");
    /** The proxy over the real peer link: PING with one client (the latency it adds), 1 MiB values both ways. */
    private static final List<Wire> WIRES = List.of(new Wire("ping", "ping", 8, 2000), new Wire("set1m", "set", 1 << 20, 100),
            new Wire("get1m", "get", 1 << 20, 100));
    private static final List<String> WIRE_TARGETS = List.of("protected", "socat", "guest");

    /** Clients and pipelining of one redis-benchmark run. */
    record Load(String key, int clients, int pipeline) {
        String label() {
            return "-c " + clients + (pipeline > 1 ? " -P " + pipeline : "");
        }
    }

    /** One run of the proxy table: a redis-benchmark test with one client and values of {@code bytes}. */
    record Wire(String key, String test, int bytes, int requests) {
    }

    /** One cell: requests per second and latency percentiles in milliseconds. */
    record Cell(double rps, double p50, double p99) {
    }

    private CostOfProtectionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        for (String tool : List.of("redis-benchmark", "redis-server", "redis-cli")) {
            if (!ThisMachine.hasTool(tool)) {
                System.out.println("cost of protection: skipped, " + tool + " is not installed (Debian: redis-tools, "
                        + "redis-server)");
                return;
            }
        }
        Path installation = Path.of(System.getProperty("colo.distribution.home"));
        Path work = Files.createDirectories(
                Path.of(System.getProperty("colo.itest.work", "target/bench")).toAbsolutePath().resolve("cost"));
        int requests = Integer.getInteger("bench.cost.requests", 5000);
        Map<String, Cell> cells = new LinkedHashMap<>();
        Map<String, String> checkpoints = new LinkedHashMap<>();
        Map<String, long[]> batches = new LinkedHashMap<>();
        LocalPair pair = LocalPair.up(installation, work.resolve("pair"), PAIR_UP_TIMEOUT);
        try {
            LocalPair.Node primary = pair.node("colo-a");
            try (NodeMBean coordinator = NodeMBean.at(primary, "dev.colo:type=Checkpoint", "LastCheckpoint")) {
                coordinator.await("protecting", bean -> Boolean.TRUE.equals(bean.unchecked("Protecting")),
                        PAIR_UP_TIMEOUT);
                for (Load load : LOADS) {
                    for (String command : COMMANDS) {
                        CompositeData before = (CompositeData) coordinator.attribute("Counts");
                        long start = System.currentTimeMillis();
                        cells.put(key("protected", load, command),
                                run(work, pair.service().port(), load, command, requests));
                        // when it ran, so that report.sh --profile can cut this run out of the nodes' profiles
                        System.out.printf(Locale.ROOT, "window %s %d %d%n", key("protected", load, command), start,
                                System.currentTimeMillis());
                        checkpoints.put(load.key() + "." + command,
                                byReason(before, (CompositeData) coordinator.attribute("Counts")));
                    }
                }
                for (Wire wire : WIRES) {
                    cells.put("wire.protected." + wire.key(), run(work, pair.service().port(), wire));
                }
                // the same clients on shared state with the execution order off: each guest interleaves them its way
                unordered(pair, primary, coordinator);
                Load fifty = LOADS.stream().filter(load -> load.clients() == 50 && load.pipeline() == 1).findFirst()
                        .orElseThrow();
                for (String command : UNORDERED_COMMANDS) {
                    CompositeData before = (CompositeData) coordinator.attribute("Counts");
                    cells.put(key("unordered", fifty, command),
                            run(work, pair.service().port(), fifty, command, requests));
                    checkpoints.put("unordered." + fifty.key() + "." + command,
                            byReason(before, (CompositeData) coordinator.attribute("Counts")));
                }
            }
            // from here on the primary's guest is written behind the proxy's back: nothing protected runs after
            try (NodeMBean guest = NodeMBean.at(primary, "dev.colo:type=Guest,name=\"kv\"", "Running")) {
                for (Load load : LOADS) {
                    for (String command : COMMANDS) {
                        long[] before = (long[]) guest.attribute("LogBatchesBySize");
                        cells.put(key("guest", load, command), run(work, primary.guestPort(), load, command, requests));
                        batches.put(key("guest", load, command),
                                difference((long[]) guest.attribute("LogBatchesBySize"), before));
                    }
                }
            }
            for (Wire wire : WIRES) {
                cells.put("wire.guest." + wire.key(), run(work, primary.guestPort(), wire));
            }
            if (ThisMachine.hasTool("socat")) {
                int port = ThisMachine.freePort();
                Process socat = new ProcessBuilder("socat", "-b", "131072", "TCP-LISTEN:" + port
                        + ",bind=127.0.0.1,reuseaddr,fork", "TCP:127.0.0.1:" + primary.guestPort())
                        .redirectErrorStream(true).redirectOutput(work.resolve("socat.log").toFile()).start();
                try {
                    awaitPing(work, port);
                    for (Wire wire : WIRES) {
                        cells.put("wire.socat." + wire.key(), run(work, port, wire));
                    }
                } finally {
                    socat.destroy();
                    socat.waitFor();
                }
            }
        } finally {
            pair.down();
        }
        for (String fsync : List.of("always", "everysec")) {
            Path dir = Files.createDirectories(work.resolve("redis-" + fsync));
            int port = ThisMachine.freePort();
            Process server = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--dir", dir.toString(), "--save", "", "--appendonly", "yes", "--appendfsync", fsync)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
            try {
                awaitPing(dir, port);
                for (Load load : LOADS) {
                    for (String command : COMMANDS) {
                        cells.put(key("redis-" + fsync, load, command), run(work, port, load, command, requests));
                    }
                }
            } finally {
                server.destroy();
                server.waitFor();
            }
        }
        print(cells, checkpoints, batches, requests);
    }

    static String key(String target, Load load, String command) {
        return target + "." + load.key() + "." + command;
    }

    /** One redis-benchmark run of one command, read from its CSV line. */
    private static Cell run(Path work, int port, Load load, String command, int requests)
            throws IOException, InterruptedException {
        return run(work, List.of("redis-benchmark", "-h", "127.0.0.1", "-p", Integer.toString(port), "-t", command,
                "-n", Integer.toString(requests), "-c", Integer.toString(load.clients()), "-P",
                Integer.toString(load.pipeline()), "--csv", "--precision", "3"));
    }

    private static Cell run(Path work, List<String> argv) throws IOException, InterruptedException {
        Processes.Result result = Processes.run(argv, work, work.resolve("redis-benchmark.log"), RUN_TIMEOUT);
        if (result.exit() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " exited " + result.exit() + ": "
                    + result.output().strip());
        }
        return parseCsv(result.output());
    }

    private static Cell run(Path work, int port, Wire wire) throws IOException, InterruptedException {
        return run(work, List.of("redis-benchmark", "-h", "127.0.0.1", "-p", Integer.toString(port), "-t", wire.test(),
                "-n", Integer.toString(wire.requests()), "-c", "1", "-d", Integer.toString(wire.bytes()), "--csv",
                "--precision", "3"));
    }

    /**
     * The data line of redis-benchmark's CSV (7.x): {@code "test","rps","avg_latency_ms","min_latency_ms",
     * "p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"}.
     */
    static Cell parseCsv(String output) {
        List<String> header = null;
        for (String line : output.split("\n")) {
            List<String> fields = new ArrayList<>();
            for (String field : line.strip().split(",")) {
                fields.add(field.replace("\"", ""));
            }
            if (fields.contains("rps")) {
                header = fields;
            } else if (header != null && fields.size() == header.size()) {
                return new Cell(Double.parseDouble(fields.get(header.indexOf("rps"))),
                        Double.parseDouble(fields.get(header.indexOf("p50_latency_ms"))),
                        Double.parseDouble(fields.get(header.indexOf("p99_latency_ms"))));
            }
        }
        throw new IllegalStateException("no CSV result in redis-benchmark's output: " + output.strip());
    }

    /**
     * Turns the guests' execution order off ({@code ordering = false} on both nodes: each guest restarts) and waits
     * until a checkpoint completed after both restarted.
     */
    private static void unordered(LocalPair pair, LocalPair.Node primary, NodeMBean coordinator) throws Exception {
        for (LocalPair.Node node : pair.nodes()) {
            Path config = node.home().resolve("etc/dev.colo.guest.kv.cfg");
            Files.writeString(config, Files.readString(config) + "ordering = false\n");
        }
        for (LocalPair.Node node : pair.nodes()) {
            try (NodeMBean guest = NodeMBean.at(node, "dev.colo:type=Guest,name=\"kv\"", "Running")) {
                guest.await("ordering off", bean -> Boolean.FALSE.equals(bean.unchecked("Ordering"))
                        && Boolean.TRUE.equals(bean.unchecked("Running")), PAIR_UP_TIMEOUT);
            }
        }
        // both guests run their new instance now: a checkpoint completed after this gives the secondary its state
        long epoch = ((Number) ((CompositeData) coordinator.attribute("LastCheckpoint")).get("epoch")).longValue();
        coordinator.await("a checkpoint of the restarted guests", bean -> {
            CompositeData last = (CompositeData) bean.unchecked("LastCheckpoint");
            return Boolean.TRUE.equals(bean.unchecked("Protecting")) && Boolean.TRUE.equals(last.get("completed"))
                    && ((Number) last.get("epoch")).longValue() > epoch;
        }, PAIR_UP_TIMEOUT);
        try (NodeMBean proxy = NodeMBean.of(primary, "Proxy", "kv", "Statistics")) {
            proxy.await("comparing", bean -> Boolean.TRUE.equals(bean.unchecked("Protecting")), PAIR_UP_TIMEOUT);
        }
    }

    /** The checkpoints between two readings of the Checkpoint MXBean's Counts, by reason, e.g. "miscompare 12". */
    static String byReason(CompositeData before, CompositeData after) {
        StringBuilder text = new StringBuilder();
        for (String reason : List.of("periodic", "miscompare", "compareTimeout", "queueBound", "operator",
                "protect", "failed")) {
            long delta = ((Number) after.get(reason)).longValue() - ((Number) before.get(reason)).longValue();
            if (delta > 0) {
                text.append(text.length() == 0 ? "" : ", ").append(reason).append(' ').append(delta);
            }
        }
        return text.length() == 0 ? "none" : text.toString();
    }

    private static void awaitPing(Path dir, int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Processes.Result ping = RedisCli.run(dir.resolve("ping.log"), Duration.ofSeconds(5), port, "ping");
            if (ping.exit() == 0 && ping.output().contains("PONG")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within 30 s");
    }

    /** {@code after - before}, class by class. */
    private static long[] difference(long[] after, long[] before) {
        long[] difference = new long[after.length];
        for (int i = 0; i < after.length; i++) {
            difference[i] = after[i] - (i < before.length ? before[i] : 0);
        }
        return difference;
    }

    private static void print(Map<String, Cell> cells, Map<String, String> checkpoints, Map<String, long[]> batches,
            int requests) {
        System.out.printf(Locale.ROOT, "%nCost of protection: redis-benchmark -n %d, %d cores%n%n", requests,
                Runtime.getRuntime().availableProcessors());
        System.out.println("| command | clients | protected req/s (p50 / p99 ms) | guest directly | redis always "
                + "| redis everysec | protected / always | protected / guest | checkpoints (protected run) |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        for (Load load : LOADS) {
            for (String command : COMMANDS) {
                StringBuilder row = new StringBuilder("| " + command.toUpperCase(Locale.ROOT) + " | " + load.label());
                for (String target : TARGETS) {
                    Cell cell = cells.get(key(target, load, command));
                    row.append(String.format(Locale.ROOT, " | %.0f (%.3f / %.3f)", cell.rps(), cell.p50(), cell.p99()));
                }
                double protectedRps = cells.get(key("protected", load, command)).rps();
                row.append(String.format(Locale.ROOT, " | %.2f | %.2f | %s |",
                        protectedRps / cells.get(key("redis-always", load, command)).rps(),
                        protectedRps / cells.get(key("guest", load, command)).rps(),
                        checkpoints.get(load.key() + "." + command)));
                System.out.println(row);
            }
        }
        System.out.printf(Locale.ROOT, "%nThe execution order: 50 clients through the protected service, the guests "
                + "following the primary's order (ordering = true) or not%n%n");
        System.out.println("| command | ordered req/s (p50 / p99 ms) | checkpoints | unordered req/s (p50 / p99 ms) "
                + "| checkpoints | ordered / unordered | ordered / redis always |");
        System.out.println("| --- | ---: | --- | ---: | --- | ---: | ---: |");
        Load fifty = LOADS.stream().filter(load -> load.clients() == 50 && load.pipeline() == 1).findFirst()
                .orElseThrow();
        for (String command : UNORDERED_COMMANDS) {
            Cell ordered = cells.get(key("protected", fifty, command));
            Cell unordered = cells.get(key("unordered", fifty, command));
            if (ordered == null || unordered == null) {
                continue;
            }
            System.out.printf(Locale.ROOT, "| %s | %.0f (%.3f / %.3f) | %s | %.0f (%.3f / %.3f) | %s | %.2f | %.2f |%n",
                    command.toUpperCase(Locale.ROOT), ordered.rps(), ordered.p50(), ordered.p99(),
                    checkpoints.get(fifty.key() + "." + command), unordered.rps(), unordered.p50(), unordered.p99(),
                    checkpoints.get("unordered." + fifty.key() + "." + command), ordered.rps() / unordered.rps(),
                    ordered.rps() / cells.get(key("redis-always", fifty, command)).rps());
        }
        System.out.printf(Locale.ROOT, "%nGroup commit: the primary's guest directly, batches its log writer made "
                + "durable, by writes per batch%n%n");
        System.out.println("| command | clients | 1 | 2–3 | 4–7 | 8–15 | 16–31 | 32–63 | 64–127 | 128–255 | 256–511 "
                + "| 512+ |");
        System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Load load : LOADS) {
            for (String command : COMMANDS) {
                long[] sizes = batches.get(key("guest", load, command));
                if (sizes == null || command.equals("get")) {
                    continue; // reads write nothing
                }
                StringBuilder row = new StringBuilder("| " + command.toUpperCase(Locale.ROOT) + " | " + load.label());
                for (long count : sizes) {
                    row.append(" | ").append(count);
                }
                System.out.println(row.append(" |"));
                for (int i = 0; i < sizes.length; i++) {
                    System.out.printf(Locale.ROOT, "cost.%s.batches.%d %d%n", key("guest", load, command), 1 << i,
                            sizes[i]);
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nThe proxy over the real TLS peer link: one client, redis-benchmark -c 1%n%n");
        System.out.println("| test | protected | socat → guest | guest directly | protected / socat |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        for (Wire wire : WIRES) {
            StringBuilder row = new StringBuilder("| " + wire.test().toUpperCase(Locale.ROOT)
                    + (wire.bytes() > 8 ? " " + (wire.bytes() >> 20) + " MiB" : ""));
            for (String target : WIRE_TARGETS) {
                Cell cell = cells.get("wire." + target + "." + wire.key());
                row.append(cell == null ? " | —" : wire.bytes() > 8
                        ? String.format(Locale.ROOT, " | %.0f MB/s (p50 %.3f ms)", cell.rps() * wire.bytes() / 1e6, cell.p50())
                        : String.format(Locale.ROOT, " | p50 %.3f ms (p99 %.3f)", cell.p50(), cell.p99()));
            }
            Cell over = cells.get("wire.protected." + wire.key());
            Cell socat = cells.get("wire.socat." + wire.key());
            row.append(socat == null ? " | — |" : wire.bytes() > 8
                    ? String.format(Locale.ROOT, " | %.2f (throughput) |", over.rps() / socat.rps())
                    : String.format(Locale.ROOT, " | %.2f (p50) |", over.p50() / socat.p50()));
            System.out.println(row);
        }
        System.out.println();
        cells.forEach((key, cell) -> System.out.printf(Locale.ROOT, "cost.%s.rps %.1f%ncost.%s.p50_ms %.3f%n"
                + "cost.%s.p99_ms %.3f%n", key, cell.rps(), key, cell.p50(), key, cell.p99()));
    }
}
