package dev.colo.proxy.internal.mina;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A deterministic guest for tests: echoes what it reads and, once its input ended, says how many bytes it
 * read before it closes; a connection whose first byte is {@code F} gets an endless flood of bytes instead
 * (for clients that never read).
 */
final class EchoGuest implements AutoCloseable {
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    EchoGuest() throws IOException {
        server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                threads.execute(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            byte[] buffer = new byte[8192];
            int n = in.read(buffer);
            if (n > 0 && buffer[0] == 'F') {
                byte[] flood = new byte[64 * 1024];
                while (true) {
                    out.write(flood);
                }
            }
            long total = 0;
            while (n > 0) {
                total += n;
                out.write(buffer, 0, n);
                out.flush();
                n = in.read(buffer);
            }
            out.write(farewell(total));
        } catch (IOException gone) {
            // the proxy closed the connection
        }
    }

    /** What the guest sends after the end of its input. */
    static byte[] farewell(long bytesRead) {
        return ("bye after " + bytesRead + " bytes\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** A client through {@code port} (a proxy in front of this guest) gets {@code hello} back. */
    static void assertEchoes(int port) throws IOException {
        try (Socket client = new Socket()) {
            client.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            client.setSoTimeout(10_000);
            byte[] hello = "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            client.getOutputStream().write(hello);
            org.junit.jupiter.api.Assertions.assertArrayEquals(hello, client.getInputStream().readNBytes(hello.length));
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
