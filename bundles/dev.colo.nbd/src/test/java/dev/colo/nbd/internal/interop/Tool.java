package dev.colo.nbd.internal.interop;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.colo.testing.ThisMachine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real NBD peer (qemu, libnbd, fio) as a process; tests skip when it is not installed. */
final class Tool {

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private Tool() {
    }

    static void assumeInstalled(String tool) {
        assumeTrue(ThisMachine.hasTool(tool), tool + " is not installed (Debian: qemu-utils, libnbd-bin, fio): interop test skipped");
    }

    static Result run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(args).redirectErrorStream(true);
        builder.environment().put("LIBNBD_DEBUG", "0");
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes(); // ends when the process ends
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
