package dev.colo.failover.internal.controller;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs an operator's command with {@code /bin/sh -c}, its output in the log, killed when it takes too long. */
public final class ShellCommand implements FailoverController.Shell {
    private static final Logger logger = LoggerFactory.getLogger(ShellCommand.class);

    @Override
    public int run(String command, Duration timeout) throws Exception {
        Process process = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        Thread reader = new Thread(() -> process.inputReader().lines()
                .forEach(line -> logger.info("[{}] {}", command, line)), "colo-failover-command");
        reader.setDaemon(true);
        reader.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }
}
