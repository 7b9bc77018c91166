package dev.colo.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** What tests ask of the machine they run on: a tool on the PATH, a free port. */
public final class ThisMachine {
    private ThisMachine() {
    }

    /** Whether {@code tool} is an executable in a directory of the PATH. */
    public static boolean hasTool(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** A TCP port free on every address right now (so on the loopback too). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
