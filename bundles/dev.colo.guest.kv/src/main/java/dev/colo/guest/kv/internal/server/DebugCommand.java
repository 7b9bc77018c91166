package dev.colo.guest.kv.internal.server;

import dev.colo.guest.kv.internal.resp.Resp;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Redis's {@code DEBUG} for fault injection, allowed only by configuration ({@code debug.commands}): {@code DEBUG
 * OOM} throws an {@link OutOfMemoryError} in the I/O thread running it (as a real one would), {@code DEBUG PANIC}
 * an {@link Error} that kills that thread, {@code DEBUG SLEEP seconds} holds the guest's command slot that long (a
 * hang, for the watchdog).
 */
final class DebugCommand {
    private DebugCommand() {
    }

    static boolean is(List<byte[]> command) {
        return !command.isEmpty() && new String(command.get(0), StandardCharsets.ISO_8859_1).equalsIgnoreCase("DEBUG");
    }

    static byte[] run(List<byte[]> command) throws InterruptedException {
        String what = command.size() < 2 ? "" : new String(command.get(1), StandardCharsets.ISO_8859_1)
                .toUpperCase(Locale.ROOT);
        switch (what) {
            case "OOM":
                throw new OutOfMemoryError("DEBUG OOM: an error injected into the guest's I/O thread");
            case "PANIC":
                throw new Error("DEBUG PANIC: an error that kills the guest's I/O thread");
            case "SLEEP":
                if (command.size() != 3) {
                    return Resp.error("ERR wrong number of arguments for 'debug sleep'");
                }
                double seconds;
                try {
                    seconds = Double.parseDouble(new String(command.get(2), StandardCharsets.ISO_8859_1));
                } catch (NumberFormatException e) {
                    return Resp.error("ERR value is not a valid float");
                }
                Thread.sleep((long) (seconds * 1000));
                return Resp.OK;
            default:
                return Resp.error("ERR DEBUG subcommand must be OOM, PANIC or SLEEP");
        }
    }
}
