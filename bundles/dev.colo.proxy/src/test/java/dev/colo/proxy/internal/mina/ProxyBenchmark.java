package dev.colo.proxy.internal.mina;

import dev.colo.testing.ThisMachine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The proxy benchmark: in one run, TCP throughput ({@code iperf3}, both directions) and request/response
 * latency ({@code redis-benchmark} against {@code redis-server} guests) through the proxy pair, directly to
 * the guest, and through {@code socat -b 131072}, printing a Markdown table with the ratios. The pair runs in
 * one process with the peer link replaced by an in-memory queue (the real link and the checkpoint
 * coordinator come with the next issue), and a stand-in coordinator releasing at once.
 *
 * <p>Run: {@code mvn -B -q -o -pl bundles/dev.colo.proxy test-compile exec:java
 * -Dexec.mainClass=dev.colo.proxy.internal.mina.ProxyBenchmark -Dexec.classpathScope=test}; {@code
 * -Dbench.workloads=redis} (or {@code iperf3}) runs one workload, {@code -Dbench.seconds=N} sets iperf3's length.
 */
public final class ProxyBenchmark {
    private static final int SECONDS = Integer.getInteger("bench.seconds", 5);
    private static final Pattern BITS = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*\"bits_per_second\"\\s*:\\s*([0-9.e+]+)");
    private final List<Process> processes = new ArrayList<>();
    private final Path work;

    private ProxyBenchmark(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        for (String tool : List.of("iperf3", "socat", "redis-server", "redis-benchmark")) {
            if (!ThisMachine.hasTool(tool)) {
                System.err.println("proxy benchmark: " + tool + " is missing (apt-get install iperf3 socat redis-server "
                        + "redis-tools)");
                System.exit(1);
            }
        }
        ProxyBenchmark bench = new ProxyBenchmark(Files.createTempDirectory("proxy-bench"));
        try {
            bench.run();
        } finally {
            bench.processes.forEach(Process::destroyForcibly);
        }
        System.exit(0);
    }

    /** One workload's figures, each measured against the guest directly, through socat, and through the proxy. */
    private record ThreeWays(double[] direct, double[] socat, double[] proxied) {
    }

    /** Something measured against a port, giving several figures. */
    @FunctionalInterface
    private interface Workload {
        double[] measure(int port) throws Exception;
    }

    /** Starts a primary and a secondary guest with {@code guest}, then measures {@code workload} three ways. */
    private ThreeWays threeWays(String name, Workload workload, String... guest) throws Exception {
        int primaryGuest = start(guest);
        int secondaryGuest = start(guest);
        try (ProxyPair pair = new ProxyPair(primaryGuest, secondaryGuest, Map.of())) {
            double[] direct = workload.measure(primaryGuest);
            double[] socat = workload.measure(start("socat", "-b", "131072", "TCP-LISTEN:%d,reuseaddr,fork",
                    "TCP:127.0.0.1:" + primaryGuest));
            double[] proxied = workload.measure(pair.service.getPort());
            checkpoints(name, pair);
            return new ThreeWays(direct, socat, proxied);
        }
    }

    private void run() throws Exception {
        List<String> workloads = List.of(System.getProperty("bench.workloads", "iperf3,redis").split(","));
        System.out.printf(Locale.ROOT, "%nProxy benchmark, %s, %d cores; iperf3 %d s per run; redis-benchmark -c 1%n%n",
                Instant.now().toString().substring(0, 16) + "Z", Runtime.getRuntime().availableProcessors(), SECONDS);
        List<String> rows = new ArrayList<>();
        if (workloads.contains("iperf3")) {
            ThreeWays iperf = threeWays("iperf3", this::iperf, "iperf3", "-s", "-p", "%d");
            rows.add(row("TCP throughput client → guest (Gbit/s)", iperf, 0));
            rows.add(row("TCP throughput guest → client (Gbit/s)", iperf, 1));
        }
        if (workloads.contains("redis")) {
            ThreeWays redis = threeWays("redis-benchmark", this::redis, "redis-server", "--port", "%d", "--save", "",
                    "--appendonly", "no");
            rows.add(row("redis PING p50 (ms)", redis, 0));
            rows.add(row("redis SET p50 (ms)", redis, 1));
            rows.add(row("redis GET p50 (ms)", redis, 2));
            rows.add(String.format(Locale.ROOT, "%nadded p50 over direct (PING): %.0f µs",
                    (redis.proxied()[0] - redis.direct()[0]) * 1000));
        }
        System.out.println("| metric | proxy | direct | socat -b 131072 | proxy / socat | proxy / direct |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        rows.forEach(System.out::println);
    }

    private static void checkpoints(String what, ProxyPair pair) {
        System.out.printf(Locale.ROOT, "%s through the proxy: %d miscompares, %d compare timeouts, %d checkpoint "
                + "requests, %d bytes compared%n", what, pair.primary.counters().miscompares(),
                pair.primary.counters().timeouts(), pair.checkpointRequests.size(),
                pair.primary.counters().comparedBytes());
    }

    private static String row(String metric, ThreeWays figures, int index) {
        double proxy = figures.proxied()[index];
        double direct = figures.direct()[index];
        double socat = figures.socat()[index];
        return String.format(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.2f | %.2f |", metric, proxy, direct, socat,
                proxy / socat, proxy / direct);
    }

    /** Gbit/s received, client to server and server to client (-R). */
    private double[] iperf(int port) throws Exception {
        return new double[] {gbits(port, false), gbits(port, true)};
    }

    private double gbits(int port, boolean reverse) throws Exception {
        List<String> command = new ArrayList<>(List.of("iperf3", "-c", "127.0.0.1", "-p", Integer.toString(port),
                "-t", Integer.toString(SECONDS), "-J", "--repeating-payload"));
        if (reverse) {
            command.add("-R");
        }
        String json = output(command);
        Matcher matcher = BITS.matcher(json);
        if (!matcher.find()) {
            throw new IOException("no throughput in iperf3's report: " + json.substring(0, Math.min(400, json.length())));
        }
        return Double.parseDouble(matcher.group(1)) / 1e9;
    }

    /** p50 latency in ms of PING, SET, GET with one client. */
    private double[] redis(int port) throws Exception {
        String csv = output(List.of("redis-benchmark", "-p", Integer.toString(port), "-t", "ping,set,get", "-n", "20000",
                "-c", "1", "--csv"));
        double[] p50 = new double[3];
        for (String line : csv.split("\n")) {
            String[] fields = line.replace("\"", "").split(",");
            int index = switch (fields[0]) {
                case "PING_MBULK" -> 0;
                case "SET" -> 1;
                case "GET" -> 2;
                default -> -1;
            };
            if (index >= 0) {
                p50[index] = Double.parseDouble(fields[4]);
            }
        }
        return p50;
    }

    /** Starts a server whose command has {@code %d} for a free port; returns the port once it accepts. */
    private int start(String... command) throws Exception {
        int port = ThisMachine.freePort();
        List<String> args = new ArrayList<>();
        for (String arg : command) {
            args.add(arg.contains("%d") ? String.format(arg, port) : arg);
        }
        Process process = new ProcessBuilder(args).redirectErrorStream(true)
                .redirectOutput(work.resolve(command[0] + "-" + port + ".log").toFile()).start();
        processes.add(process);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (java.net.Socket probe = new java.net.Socket("127.0.0.1", port)) {
                return port;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IOException(String.join(" ", args) + " does not accept on " + port);
    }

    private String output(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(SECONDS + 60L, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
