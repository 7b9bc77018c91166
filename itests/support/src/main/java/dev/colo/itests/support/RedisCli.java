package dev.colo.itests.support;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code redis-cli --raw} against 127.0.0.1, one command per run, its output into {@code log}. */
public final class RedisCli {
    private RedisCli() {
    }

    public static Processes.Result run(Path log, Duration timeout, int port, String... command)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("redis-cli", "--raw", "-h", "127.0.0.1", "-p", Integer.toString(port)));
        args.addAll(List.of(command));
        return Processes.run(args, null, log, timeout);
    }
}
