package dev.colo.proxy.internal.mina;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/** A UDP guest for tests: answers each datagram with itself, or, when told to be nondeterministic, with a token of its own. */
final class UdpEchoGuest implements AutoCloseable {
    private static final AtomicLong TOKENS = new AtomicLong();
    private final DatagramSocket socket;
    private final Thread thread;

    UdpEchoGuest(boolean nondeterministic) throws IOException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> serve(nondeterministic), "udp-echo-guest");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve(boolean nondeterministic) {
        byte[] buffer = new byte[65536];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                byte[] reply = nondeterministic ? ("token-" + TOKENS.incrementAndGet()).getBytes()
                        : Arrays.copyOf(packet.getData(), packet.getLength());
                socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            } catch (IOException closed) {
                return;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
