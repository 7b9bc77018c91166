package dev.colo.proxy.internal.wire;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * What the two proxies tell each other over the peer link, per protected service and connection: the
 * primary mirrors connection opens, client input and client closes to the secondary; the secondary
 * redirects its guest's output and the end of it back. All of one service go on the BULK channel, whose
 * order is kept, so that a connection's open, data and close arrive in the order they were sent. Lengths
 * are checked before anything is allocated; a malformed payload is an {@link IOException} naming what is
 * wrong, never a crash. Free of network code.
 */
public sealed interface ProxyMessage {
    /** Longest service name, in bytes of UTF-8. */
    int MAX_NAME_BYTES = 64;
    /** Most data carried by one message (larger data is split by the sender). */
    int MAX_DATA_BYTES = 1 << 20;

    /** The peer-link message type of this message. */
    String type();

    String service();

    long connection();

    /** Primary → secondary: a client connected (or a UDP flow began); the secondary opens its own to its guest. */
    record Open(String service, long connection, String client) implements ProxyMessage {
        public static final String TYPE = "proxy.open";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public void writeBody(DataOutputStream out) throws IOException {
            out.writeUTF(client);
        }
    }

    /** Primary → secondary: client input (a stream segment, or one whole datagram for UDP). */
    record Input(String service, long connection, ByteBuffer data) implements ProxyMessage {
        public static final String TYPE = "proxy.input";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public int dataBytes() {
            return data.remaining();
        }

        @Override
        public void writeBody(DataOutputStream out) throws IOException {
            writeData(out, data);
        }

    }

    /** Primary → secondary: the client closed the connection (or the flow expired). */
    record Close(String service, long connection) implements ProxyMessage {
        public static final String TYPE = "proxy.close";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Primary → secondary: the client ended its input (a TCP half-close) and still reads the replies. */
    record InputEnd(String service, long connection) implements ProxyMessage {
        public static final String TYPE = "proxy.input-end";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * Primary → secondary: stop reading the guest's output for a connection (the secondary is ahead of the
     * primary by the bound: its output would only pile up on the primary), until {@link Resume}.
     */
    record Pause(String service, long connection) implements ProxyMessage {
        public static final String TYPE = "proxy.pause";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Primary → secondary: read the guest's output for a connection again. */
    record Resume(String service, long connection) implements ProxyMessage {
        public static final String TYPE = "proxy.resume";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /**
     * Secondary → primary: its guest's output for a connection (a segment, or one datagram), tagged with the
     * checkpoint epoch the secondary had loaded when its guest produced it: the primary compares only output
     * of its current epoch, so output from before a checkpoint that arrives after it is dropped.
     */
    record Output(String service, long connection, long epoch, ByteBuffer data) implements ProxyMessage {
        public static final String TYPE = "proxy.output";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public int dataBytes() {
            return data.remaining();
        }

        @Override
        public void writeBody(DataOutputStream out) throws IOException {
            out.writeLong(epoch);
            writeData(out, data);
        }

    }

    /** Secondary → primary: its guest ended its output for a connection (tagged like {@link Output}). */
    record End(String service, long connection, long epoch) implements ProxyMessage {
        public static final String TYPE = "proxy.end";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public void writeBody(DataOutputStream out) throws IOException {
            out.writeLong(epoch);
        }
    }

    /**
     * Primary → secondary: one message of the guest's execution order (its own bytes, see
     * {@code dev.colo.api.guest.ExecutionOrder}), on the same ordered stream as the input it orders; connection 0.
     */
    record Order(String service, long connection, ByteBuffer data) implements ProxyMessage {
        public static final String TYPE = "proxy.order";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public int dataBytes() {
            return data.remaining();
        }

        @Override
        public void writeBody(DataOutputStream out) throws IOException {
            writeData(out, data);
        }
    }

    /**
     * Secondary → primary: its guest stopped following the execution order until the next checkpoint, and why;
     * connection 0. The primary asks for that checkpoint.
     */
    record OrderLost(String service, long connection, String why) implements ProxyMessage {
        public static final String TYPE = "proxy.order-lost";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public void writeBody(DataOutputStream out) throws IOException {
            out.writeUTF(why.length() > 1000 ? why.substring(0, 1000) : why);
        }
    }

    /** Bytes of guest or client data carried (0 for control messages): what back-pressure counts. */
    default int dataBytes() {
        return 0;
    }

    /** What follows the service and the connection in the payload; nothing by default. */
    default void writeBody(DataOutputStream out) throws IOException {
    }

    /** The payload on the peer link (the type travels in the frame). */
    default byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(service());
            out.writeLong(connection());
            writeBody(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * A message of {@code type} from its payload.
     *
     * @throws IOException naming the problem: unknown type, truncated or padded payload, oversized data or name
     */
    static ProxyMessage decode(String type, byte[] payload) throws IOException {
        if (payload.length > MAX_DATA_BYTES + 2 * MAX_NAME_BYTES + 64) {
            throw new IOException(type + " of " + payload.length + " bytes, above the maximum");
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload))) {
            String service = in.readUTF();
            if (service.isEmpty() || service.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
                throw new IOException(type + " with a service name of " + service.length() + " characters");
            }
            long connection = in.readLong();
            ProxyMessage message = switch (type) {
                case Open.TYPE -> new Open(service, connection, in.readUTF());
                case Input.TYPE -> new Input(service, connection, readData(in, type));
                case Output.TYPE -> new Output(service, connection, in.readLong(), readData(in, type));
                case Close.TYPE -> new Close(service, connection);
                case InputEnd.TYPE -> new InputEnd(service, connection);
                case Pause.TYPE -> new Pause(service, connection);
                case Resume.TYPE -> new Resume(service, connection);
                case End.TYPE -> new End(service, connection, in.readLong());
                case Order.TYPE -> new Order(service, connection, readData(in, type));
                case OrderLost.TYPE -> new OrderLost(service, connection, in.readUTF());
                default -> throw new IOException("unknown proxy message type '" + type + "'");
            };
            if (in.available() != 0) {
                throw new IOException(type + " with " + in.available() + " bytes too many");
            }
            return message;
        } catch (EOFException e) {
            throw new IOException("truncated " + type, e);
        }
    }

    static void writeData(DataOutputStream out, ByteBuffer data) throws IOException {
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static ByteBuffer readData(DataInputStream in, String type) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_DATA_BYTES) {
            throw new IOException(type + " declares " + length + " bytes of data, above the maximum of " + MAX_DATA_BYTES);
        }
        if (in.available() < length) {
            throw new IOException("truncated " + type + ": " + in.available() + " of " + length + " bytes of data");
        }
        return ByteBuffer.wrap(in.readNBytes(length));
    }
}
