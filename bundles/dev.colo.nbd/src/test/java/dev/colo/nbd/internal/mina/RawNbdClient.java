package dev.colo.nbd.internal.mina;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.colo.nbd.protocol.NbdConstants;
import dev.colo.nbd.protocol.NbdOption;
import dev.colo.nbd.protocol.NbdOptionReply;
import dev.colo.nbd.protocol.TransmissionWire;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A deliberately low-level NBD client over a plain socket, for protocol and hostile-input tests. */
public final class RawNbdClient implements AutoCloseable {

    /** An option reply as received. */
    public record Reply(long magic, int option, int type, byte[] data) {
        public NbdOptionReply replyType() {
            return NbdOptionReply.fromWire(type).orElseThrow();
        }
    }

    /** A simple reply, or the header of a structured chunk (type and flags set, error 0). */
    public record TransmissionReply(boolean structured, int error, long handle, int flags, int type, byte[] data) {
    }

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    public RawNbdClient(int port) throws IOException {
        this(port, 0);
    }

    /** @param receiveBufferBytes the socket's receive buffer (0: the system's), set before connecting */
    public RawNbdClient(int port, int receiveBufferBytes) throws IOException {
        socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    /** Reads the greeting, checks it and sends the client flags. */
    public int handshake(int clientFlags) throws IOException {
        assertEquals(NbdConstants.NBDMAGIC, in.readLong(), "NBDMAGIC");
        assertEquals(NbdConstants.IHAVEOPT, in.readLong(), "IHAVEOPT");
        int flags = in.readUnsignedShort();
        out.writeInt(clientFlags);
        out.flush();
        return flags;
    }

    public void sendOption(int option, byte[] data) throws IOException {
        out.writeLong(NbdConstants.IHAVEOPT);
        out.writeInt(option);
        out.writeInt(data.length);
        out.write(data);
        out.flush();
    }

    public void sendOption(NbdOption option, byte[] data) throws IOException {
        sendOption(option.wireValue(), data);
    }

    public Reply readReply() throws IOException {
        long magic = in.readLong();
        int option = in.readInt();
        int type = in.readInt();
        byte[] data = new byte[in.readInt()];
        in.readFully(data);
        return new Reply(magic, option, type, data);
    }

    /** Replies up to and including the first ACK or error. */
    public List<Reply> readReplies() throws IOException {
        List<Reply> replies = new java.util.ArrayList<>();
        Reply reply;
        do {
            reply = readReply();
            replies.add(reply);
        } while (reply.type() != NbdOptionReply.ACK.wireValue() && reply.type() > 0);
        return replies;
    }

    /** GO (or INFO) data: name and the requested information types. */
    public static byte[] infoData(String name, int... infoTypes) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer data = ByteBuffer.allocate(4 + bytes.length + 2 + 2 * infoTypes.length);
        data.putInt(bytes.length).put(bytes).putShort((short) infoTypes.length);
        for (int type : infoTypes) {
            data.putShort((short) type);
        }
        return data.array();
    }

    public static byte[] metaContextData(String name, String... queries) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        int length = 4 + bytes.length + 4;
        for (String query : queries) {
            length += 4 + query.getBytes(StandardCharsets.UTF_8).length;
        }
        ByteBuffer data = ByteBuffer.allocate(length);
        data.putInt(bytes.length).put(bytes).putInt(queries.length);
        for (String query : queries) {
            byte[] q = query.getBytes(StandardCharsets.UTF_8);
            data.putInt(q.length).put(q);
        }
        return data.array();
    }

    /** Handshake, then GO for {@code name}; returns the transmission flags. */
    public int go(String name) throws IOException {
        handshake(NbdConstants.FLAG_C_FIXED_NEWSTYLE | NbdConstants.FLAG_C_NO_ZEROES);
        return goAfterHandshake(name);
    }

    public int goAfterHandshake(String name) throws IOException {
        sendOption(NbdOption.GO, infoData(name));
        int flags = -1;
        for (Reply reply : readReplies()) {
            if (reply.replyType() == NbdOptionReply.INFO && ByteBuffer.wrap(reply.data()).getShort() == 0) {
                flags = ByteBuffer.wrap(reply.data()).getShort(10) & 0xffff;
            } else if (reply.replyType().isError()) {
                throw new IOException("GO refused: " + reply.replyType());
            }
        }
        return flags;
    }

    public void sendRequest(int flags, int type, long handle, long offset, int length, byte[] payload)
            throws IOException {
        out.write(TransmissionWire.encodeRequestHeader(flags, type, handle, offset, length).array());
        if (payload != null) {
            out.write(payload);
        }
        out.flush();
    }

    /** Reads one reply; {@code readLength} is the data length expected after a successful simple READ reply. */
    public TransmissionReply readTransmissionReply(int readLength) throws IOException {
        int magic = in.readInt();
        if (magic == NbdConstants.SIMPLE_REPLY_MAGIC) {
            int error = in.readInt();
            long handle = in.readLong();
            byte[] data = new byte[error == 0 ? readLength : 0];
            in.readFully(data);
            return new TransmissionReply(false, error, handle, 0, 0, data);
        }
        assertEquals(NbdConstants.STRUCTURED_REPLY_MAGIC, magic, "reply magic");
        int flags = in.readUnsignedShort();
        int type = in.readUnsignedShort();
        long handle = in.readLong();
        byte[] data = new byte[in.readInt()];
        in.readFully(data);
        return new TransmissionReply(true, 0, handle, flags, type, data);
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public DataInputStream in() {
        return in;
    }

    /** Whether the server closed the connection (EOF or reset) within the socket timeout. */
    public boolean closedByServer() throws IOException {
        try {
            while (in.read() >= 0) {
                // drain whatever was still sent
            }
            return true;
        } catch (EOFException | SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    public Socket socket() {
        return socket;
    }

    public void soTimeout(int millis) throws SocketException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
