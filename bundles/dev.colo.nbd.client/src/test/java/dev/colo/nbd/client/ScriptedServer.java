package dev.colo.nbd.client;

import dev.colo.nbd.protocol.ExportInfo;
import dev.colo.nbd.protocol.ExportNameReply;
import dev.colo.nbd.protocol.NbdConstants;
import dev.colo.nbd.protocol.NbdOption;
import dev.colo.nbd.protocol.NbdOptionReply;
import dev.colo.nbd.protocol.NbdRequest;
import dev.colo.nbd.protocol.OptionReply;
import dev.colo.nbd.protocol.ServerGreeting;
import dev.colo.nbd.protocol.ServerMessage;
import dev.colo.nbd.protocol.TransmissionWire;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * A one-connection NBD server written with plain sockets and the protocol package's encoders, whose
 * handshake answers are chosen by the test, and whose transmission phase the test scripts.
 */
final class ScriptedServer implements AutoCloseable {
    interface Transmission {
        void run(ScriptedServer server) throws Exception;
    }

    private final ServerSocket listener;
    private final boolean structuredSupported;
    private final boolean goSupported;
    private final long sizeBytes;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private Socket socket;
    private DataInputStream in;
    private OutputStream out;

    ScriptedServer(boolean structuredSupported, boolean goSupported, long sizeBytes, Transmission transmission)
            throws IOException {
        this.listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        this.structuredSupported = structuredSupported;
        this.goSupported = goSupported;
        this.sizeBytes = sizeBytes;
        Thread thread = new Thread(() -> {
            try {
                socket = listener.accept();
                in = new DataInputStream(socket.getInputStream());
                out = socket.getOutputStream();
                handshake();
                transmission.run(this);
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "scripted-nbd-server");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    CompletableFuture<Void> done() {
        return done;
    }

    private void handshake() throws IOException {
        send(ServerGreeting.fixedNewstyle());
        int clientFlags = in.readInt();
        if ((clientFlags & NbdConstants.FLAG_C_NO_ZEROES) == 0) {
            throw new IOException("client did not ask for NO_ZEROES");
        }
        ExportInfo export = ExportInfo.of("x", sizeBytes, false);
        while (true) {
            if (in.readLong() != NbdConstants.IHAVEOPT) {
                throw new IOException("no IHAVEOPT");
            }
            int option = in.readInt();
            byte[] data = new byte[in.readInt()];
            in.readFully(data);
            if (option == NbdOption.STRUCTURED_REPLY.wireValue()) {
                send(structuredSupported ? OptionReply.ack(option) : OptionReply.error(option, NbdOptionReply.ERR_UNSUP));
            } else if (option == NbdOption.GO.wireValue() && goSupported) {
                send(OptionReply.infoExport(option, export, export.transmissionFlags(structuredSupported)));
                send(OptionReply.ack(option));
                return;
            } else if (option == NbdOption.EXPORT_NAME.wireValue()) {
                send(new ExportNameReply(sizeBytes, export.transmissionFlags(false), true));
                return;
            } else {
                send(OptionReply.error(option, NbdOptionReply.ERR_UNSUP));
            }
        }
    }

    /** The next request and its payload. */
    NbdRequest readRequest() throws Exception {
        byte[] header = new byte[NbdConstants.REQUEST_HEADER_BYTES];
        in.readFully(header);
        ByteBuffer buffer = ByteBuffer.wrap(header);
        int length = buffer.getInt(24);
        int type = Short.toUnsignedInt(buffer.getShort(6));
        if (type == 1) {
            ByteBuffer all = ByteBuffer.allocate(header.length + length).put(header);
            in.readFully(all.array(), header.length, length);
            return TransmissionWire.decodeRequest(all.position(0), Integer.MAX_VALUE);
        }
        return TransmissionWire.decodeRequest(buffer, 0);
    }

    void send(ServerMessage message) throws IOException {
        ByteBuffer wire = message.encode();
        out.write(wire.array(), wire.arrayOffset() + wire.position(), wire.remaining());
        out.flush();
    }

    void sendRaw(ByteBuffer wire) throws IOException {
        out.write(wire.array(), wire.arrayOffset() + wire.position(), wire.remaining());
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
        listener.close();
    }
}
