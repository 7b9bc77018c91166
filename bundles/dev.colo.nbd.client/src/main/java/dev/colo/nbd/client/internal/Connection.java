package dev.colo.nbd.client.internal;

import dev.colo.nbd.client.ClientEvent;
import dev.colo.nbd.client.ClientState;
import dev.colo.nbd.client.ExportDetails;
import dev.colo.nbd.client.NbdCommandException;
import dev.colo.nbd.client.NbdConnectionException;
import dev.colo.nbd.protocol.ClientWire;
import dev.colo.nbd.protocol.ExportNameReply;
import dev.colo.nbd.protocol.NbdCommand;
import dev.colo.nbd.protocol.NbdConstants;
import dev.colo.nbd.protocol.NbdOption;
import dev.colo.nbd.protocol.NbdOptionReply;
import dev.colo.nbd.protocol.NbdReplyType;
import dev.colo.nbd.protocol.OptionReply;
import dev.colo.nbd.protocol.ServerGreeting;
import dev.colo.nbd.protocol.SimpleReply;
import dev.colo.nbd.protocol.StructuredReplyChunk;
import dev.colo.nbd.protocol.TransmissionWire;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.ssl.SslEvent;
import org.apache.mina.filter.ssl.SslFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dial of the client (one epoch): the handshake as the {@link ClientState} table, then the requests
 * in flight by handle. All transitions go through {@link #transition(ClientEvent)} (compare-and-set).
 * MINA events reach it through {@link ClientIoHandler}, which finds it in the session attribute
 * {@link #KEY}.
 */
public final class Connection {
    static final AttributeKey KEY = new AttributeKey(Connection.class, "connection");
    /** Filter names, in chain order. */
    public static final String SSL_FILTER = "ssl";
    public static final String CODEC_FILTER = "codec";

    private final Logger logger = LoggerFactory.getLogger(Connection.class);
    private final long epoch;
    private final String target;
    private final String exportName;
    private final SSLContext sslContext;
    private final BiConsumer<Connection, Throwable> onTerminated;
    private final AtomicReference<ClientState> state = new AtomicReference<>(ClientState.START);
    private final Map<Long, Pending> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong handles = new AtomicLong();
    private final AtomicBoolean discSent = new AtomicBoolean();
    private final AtomicBoolean terminated = new AtomicBoolean();
    private final CompletableFuture<ExportDetails> ready = new CompletableFuture<>();
    private final CompletableFuture<ClientState> finished = new CompletableFuture<>();

    // handshake, only touched on the session's I/O thread
    private final Deque<NbdOption> options = new ArrayDeque<>();
    private NbdOption current;
    private boolean structured;
    private boolean tls;
    private boolean noZeroes;
    private long sizeBytes = -1;
    private int transmissionFlags;
    private int minBlock = 1;
    private int preferredBlock = 4096;
    private int maxBlock = NbdConstants.MAX_PAYLOAD_BYTES;

    private volatile IoSession session;
    private volatile Throwable failure;
    private volatile ExportDetails details;
    private volatile boolean wasReady;

    public Connection(long epoch, String target, String exportName, SSLContext sslContext,
            BiConsumer<Connection, Throwable> onTerminated) {
        this.epoch = epoch;
        this.target = target;
        this.exportName = exportName;
        this.sslContext = sslContext;
        this.onTerminated = onTerminated;
    }

    public long epoch() {
        return epoch;
    }

    public ClientState state() {
        return state.get();
    }

    public boolean wasReady() {
        return wasReady;
    }

    /** Completes with the export once READY, fails if the handshake fails. */
    public CompletableFuture<ExportDetails> ready() {
        return ready;
    }

    /** Completes with CLOSED or DEAD once the connection ended and every request in flight was failed. */
    public CompletableFuture<ClientState> finished() {
        return finished;
    }

    public ExportDetails details() {
        return details;
    }

    public int inFlightCount() {
        return inFlight.size();
    }

    /**
     * Applies {@code event} by compare-and-set along the {@link ClientState} table.
     *
     * @return the previous state, or {@code null} if the event is not allowed in the current state
     */
    public ClientState transition(ClientEvent event) {
        while (true) {
            ClientState from = state.get();
            ClientState to = from.next(event).orElse(null);
            if (to == null) {
                logger.debug("NBD {} epoch {}: {} ignored in {}", target, epoch, event, from);
                return null;
            }
            if (state.compareAndSet(from, to)) {
                if (to.isTerminal() || to == ClientState.READY || to == ClientState.CLOSING) {
                    logger.info("NBD {} epoch {}: {} -> {} on {}", target, epoch, from, to, event);
                } else {
                    logger.debug("NBD {} epoch {}: {} -> {} on {}", target, epoch, from, to, event);
                }
                return from;
            }
        }
    }

    // ---- MINA events ---------------------------------------------------------------------------------

    void sessionCreated(IoSession newSession) {
        this.session = newSession;
        ReplyDecoder.install(newSession, this::simpleReplyPayload);
    }

    void sessionOpened(IoSession openedSession) {
        if (transition(ClientEvent.CONNECTED) == null) {
            openedSession.closeNow(); // closed while connecting
        }
    }

    /** The TCP connect failed (no session). */
    public void connectFailed(Throwable cause) {
        failure = cause;
        transition(ClientEvent.FAILURE);
        terminate();
    }

    void sessionClosed() {
        transition(ClientEvent.SESSION_CLOSED);
        terminate();
    }

    void exceptionCaught(IoSession failedSession, Throwable cause) {
        fail(cause);
    }

    void event(FilterEvent event) {
        if (event == SslEvent.SECURED && transition(ClientEvent.TLS_SECURED) != null) {
            tls = true;
            sendNextOption();
        }
    }

    void messageReceived(Object message) {
        if (message instanceof SimpleReply reply) {
            onSimpleReply(reply);
        } else if (message instanceof StructuredReplyChunk chunk) {
            onChunk(chunk);
        } else if (message instanceof OptionReply reply) {
            onOptionReply(reply);
        } else if (message instanceof ServerGreeting greeting) {
            onGreeting(greeting);
        } else if (message instanceof ExportNameReply reply) {
            sizeBytes = reply.sizeBytes();
            transmissionFlags = reply.transmissionFlags();
            enterTransmission();
        } else {
            fail(new NbdConnectionException("unexpected message " + message));
        }
    }

    // ---- handshake -------------------------------------------------------------------------------------

    private void onGreeting(ServerGreeting greeting) {
        if (transition(ClientEvent.GREETING) == null) {
            return;
        }
        boolean fixed = (greeting.handshakeFlags() & NbdConstants.FLAG_FIXED_NEWSTYLE) != 0;
        noZeroes = (greeting.handshakeFlags() & NbdConstants.FLAG_NO_ZEROES) != 0;
        int clientFlags = (fixed ? NbdConstants.FLAG_C_FIXED_NEWSTYLE : 0) | (noZeroes ? NbdConstants.FLAG_C_NO_ZEROES : 0);
        session.write(IoBuffer.allocate(4).putInt(clientFlags).flip());
        if (!fixed) {
            if (sslContext != null) {
                fail(new NbdConnectionException("server " + target + " is not fixed newstyle: STARTTLS impossible"));
                return;
            }
            sendExportName();
            return;
        }
        if (sslContext != null) {
            options.add(NbdOption.STARTTLS);
        }
        options.add(NbdOption.STRUCTURED_REPLY);
        options.add(NbdOption.GO);
        sendNextOption();
    }

    private void sendNextOption() {
        current = options.poll();
        if (current == null) {
            fail(new NbdConnectionException("handshake with " + target + " ran out of options"));
            return;
        }
        byte[] data = current == NbdOption.GO ? ClientWire.goData(exportName, NbdConstants.INFO_BLOCK_SIZE) : new byte[0];
        if (transition(ClientEvent.OPTION_SENT) == null) {
            return;
        }
        session.write(IoBuffer.wrap(ClientWire.encodeOption(current, data)));
    }

    private void sendExportName() {
        DecodeState decode = ReplyDecoder.stateOf(session);
        decode.noZeroes = noZeroes;
        decode.phase = DecodePhase.EXPORT_NAME_REPLY;
        current = NbdOption.EXPORT_NAME;
        if (transition(ClientEvent.OPTION_SENT) == null) {
            return;
        }
        session.write(IoBuffer.wrap(ClientWire.encodeOption(NbdOption.EXPORT_NAME,
                exportName.getBytes(StandardCharsets.UTF_8))));
    }

    private void onOptionReply(OptionReply reply) {
        if (current == null || reply.option() != current.wireValue()) {
            fail(new NbdConnectionException("reply " + reply + " while waiting for "
                    + (current == null ? "nothing" : "NBD_OPT_" + current)));
            return;
        }
        switch (current) {
            case STARTTLS -> {
                if (reply.type() != NbdOptionReply.ACK) {
                    fail(new NbdConnectionException("server " + target + " refused NBD_OPT_STARTTLS: NBD_REP_"
                            + reply.type()));
                    return;
                }
                if (transition(ClientEvent.STARTTLS_ACCEPTED) != null) {
                    SslFilter ssl = new SslFilter(sslContext);
                    session.getFilterChain().addBefore(CODEC_FILTER, SSL_FILTER, ssl); // starts the TLS handshake
                }
            }
            case STRUCTURED_REPLY -> {
                if (reply.type() != NbdOptionReply.ACK && !reply.type().isError()) {
                    fail(new NbdConnectionException("unexpected " + reply));
                    return;
                }
                structured = reply.type() == NbdOptionReply.ACK;
                if (transition(ClientEvent.OPTION_REPLY) != null) {
                    sendNextOption();
                }
            }
            case GO -> onGoReply(reply);
            default -> fail(new NbdConnectionException("unexpected " + reply));
        }
    }

    private void onGoReply(OptionReply reply) {
        switch (reply.type()) {
            case INFO -> parseInfo(reply.data());
            case ACK -> {
                if (sizeBytes < 0) {
                    fail(new NbdConnectionException("NBD_OPT_GO acknowledged without NBD_INFO_EXPORT"));
                    return;
                }
                enterTransmission();
            }
            case ERR_UNSUP -> {
                logger.info("NBD {}: NBD_OPT_GO unsupported, falling back to NBD_OPT_EXPORT_NAME", target);
                if (transition(ClientEvent.OPTION_REPLY) != null) {
                    sendExportName();
                }
            }
            default -> {
                if (reply.type().isError()) {
                    String message = new String(reply.data(), StandardCharsets.UTF_8);
                    fail(new NbdConnectionException("NBD_OPT_GO for export '" + exportName + "' at " + target
                            + " refused: NBD_REP_" + reply.type() + (message.isEmpty() ? "" : " (" + message + ")")));
                } else {
                    logger.debug("NBD {}: ignoring {} to NBD_OPT_GO", target, reply);
                }
            }
        }
    }

    private void parseInfo(byte[] data) {
        ByteBuffer in = ByteBuffer.wrap(data);
        if (in.remaining() < 2) {
            fail(new NbdConnectionException("NBD_REP_INFO without a type"));
            return;
        }
        int type = Short.toUnsignedInt(in.getShort());
        if (type == NbdConstants.INFO_EXPORT) {
            if (in.remaining() != 10) {
                fail(new NbdConnectionException("NBD_INFO_EXPORT of " + data.length + " bytes"));
                return;
            }
            sizeBytes = in.getLong();
            transmissionFlags = Short.toUnsignedInt(in.getShort());
        } else if (type == NbdConstants.INFO_BLOCK_SIZE) {
            if (in.remaining() != 12) {
                fail(new NbdConnectionException("NBD_INFO_BLOCK_SIZE of " + data.length + " bytes"));
                return;
            }
            minBlock = in.getInt();
            preferredBlock = in.getInt();
            maxBlock = in.getInt();
        }
    }

    private void enterTransmission() {
        if (sizeBytes < 0) {
            fail(new NbdConnectionException("negative export size " + sizeBytes));
            return;
        }
        ExportDetails export = new ExportDetails(exportName, sizeBytes, transmissionFlags, minBlock, preferredBlock,
                Math.min(maxBlock, NbdConstants.MAX_PAYLOAD_BYTES), structured, tls);
        details = export;
        if (transition(ClientEvent.EXPORT_ACCEPTED) != null) {
            wasReady = true;
            ready.complete(export);
        }
    }

    // ---- transmission ----------------------------------------------------------------------------------

    private int simpleReplyPayload(long handle, int error) {
        Pending pending = inFlight.get(handle);
        if (pending == null) {
            return -1;
        }
        return error == 0 && pending.command == NbdCommand.READ ? pending.length : 0;
    }

    /** Sends one request; the future completes with the data of a READ, {@code null} otherwise. */
    public CompletableFuture<byte[]> submit(NbdCommand command, int flags, long offset, int length, ByteBuffer payload) {
        ClientState now = state.get();
        if (now != ClientState.READY) {
            return CompletableFuture.failedFuture(new NbdConnectionException("NBD_CMD_" + command + " to " + target
                    + " refused: connection epoch " + epoch + " is " + now));
        }
        long handle = handles.incrementAndGet();
        Pending pending = new Pending(command, offset, length);
        inFlight.put(handle, pending);
        if (state.get() != ClientState.READY) { // lost the race with a close or a connection loss
            if (inFlight.remove(handle, pending)) {
                pending.future.completeExceptionally(new NbdConnectionException("NBD_CMD_" + command + " to " + target
                        + " refused: connection epoch " + epoch + " is " + state.get()));
                maybeSendDisc(); // a close may have waited for this request
            }
            return pending.future;
        }
        ByteBuffer header = TransmissionWire.encodeRequestHeader(flags, command.wireValue(), handle, offset, length);
        if (payload == null) {
            session.write(IoBuffer.wrap(header));
        } else {
            IoBuffer out = IoBuffer.allocate(header.remaining() + payload.remaining());
            out.put(header).put(payload.duplicate()).flip();
            session.write(out);
        }
        return pending.future;
    }

    private void onSimpleReply(SimpleReply reply) {
        Pending pending = inFlight.remove(reply.handle());
        if (pending == null) {
            fail(new NbdConnectionException("simple reply for unknown handle " + reply.handle()));
            return;
        }
        if (reply.error() != 0) {
            pending.future.completeExceptionally(
                    new NbdCommandException(pending.command, pending.offset, pending.length, reply.error(), null));
        } else if (pending.command == NbdCommand.READ) {
            pending.future.complete(reply.data().array());
        } else {
            pending.future.complete(null);
        }
        maybeSendDisc();
    }

    private void onChunk(StructuredReplyChunk chunk) {
        Pending pending = inFlight.get(chunk.handle());
        if (pending == null) {
            fail(new NbdConnectionException("structured reply for unknown handle " + chunk.handle()));
            return;
        }
        ByteBuffer payload = chunk.payload();
        switch (chunk.type()) {
            case NONE -> {
                if (payload.hasRemaining()) {
                    fail(new NbdConnectionException("NBD_REPLY_TYPE_NONE with a payload"));
                    return;
                }
            }
            case OFFSET_DATA, OFFSET_HOLE -> {
                if (pending.command != NbdCommand.READ || payload.remaining() < (chunk.type() == NbdReplyType.OFFSET_DATA ? 8 : 12)) {
                    fail(new NbdConnectionException("bad NBD_REPLY_TYPE_" + chunk.type() + " to NBD_CMD_" + pending.command));
                    return;
                }
                long at = payload.getLong();
                long bytes = chunk.type() == NbdReplyType.OFFSET_DATA ? payload.remaining()
                        : Integer.toUnsignedLong(payload.getInt());
                if (at < pending.offset || at + bytes > pending.offset + pending.length) {
                    fail(new NbdConnectionException("NBD_REPLY_TYPE_" + chunk.type() + " at " + at + "+" + bytes
                            + " outside the READ at " + pending.offset + "+" + pending.length));
                    return;
                }
                if (pending.data == null) {
                    pending.data = new byte[pending.length];
                }
                pending.covered += bytes;
                int into = (int) (at - pending.offset);
                if (chunk.type() == NbdReplyType.OFFSET_DATA) {
                    payload.get(pending.data, into, (int) bytes);
                } else {
                    Arrays.fill(pending.data, into, into + (int) bytes, (byte) 0);
                }
            }
            case ERROR, ERROR_OFFSET -> {
                if (payload.remaining() < 6) {
                    fail(new NbdConnectionException("NBD_REPLY_TYPE_ERROR of " + payload.remaining() + " bytes"));
                    return;
                }
                int errno = payload.getInt();
                int messageBytes = Short.toUnsignedInt(payload.getShort());
                byte[] message = new byte[Math.min(messageBytes, payload.remaining())];
                payload.get(message);
                if (pending.errno == 0) {
                    pending.errno = errno == 0 ? dev.colo.nbd.protocol.NbdError.EIO.wireValue() : errno; // 0 is invalid here
                    pending.errorMessage = new String(message, StandardCharsets.UTF_8);
                }
            }
            default -> {
                fail(new NbdConnectionException("unexpected NBD_REPLY_TYPE_" + chunk.type() + " to NBD_CMD_" + pending.command));
                return;
            }
        }
        if ((chunk.flags() & NbdConstants.REPLY_FLAG_DONE) == 0) {
            return;
        }
        if (pending.errno == 0 && pending.command == NbdCommand.READ && pending.covered != pending.length) {
            fail(new NbdConnectionException("structured reply to NBD_CMD_READ offset=" + pending.offset + " length="
                    + pending.length + " covers " + pending.covered + " bytes"));
            return;
        }
        inFlight.remove(chunk.handle());
        if (pending.errno != 0) {
            pending.future.completeExceptionally(new NbdCommandException(pending.command, pending.offset,
                    pending.length, pending.errno, pending.errorMessage));
        } else if (pending.command == NbdCommand.READ) {
            pending.future.complete(pending.data == null ? new byte[pending.length] : pending.data);
        } else {
            pending.future.complete(null);
        }
        maybeSendDisc();
    }

    // ---- close and failure -----------------------------------------------------------------------------

    /** Orderly close: refuses new requests, sends NBD_CMD_DISC once the requests in flight are answered. */
    public CompletableFuture<ClientState> close() {
        ClientState before = transition(ClientEvent.CLOSE);
        if (before == ClientState.START) {
            terminate();
        } else if (before == ClientState.READY) {
            maybeSendDisc();
        } else if (before != null && session != null) {
            session.closeNow(); // handshake in progress: nothing to finish
        }
        return finished;
    }

    private void maybeSendDisc() {
        if (state.get() == ClientState.CLOSING && inFlight.isEmpty() && wasReady && discSent.compareAndSet(false, true)) {
            session.write(IoBuffer.wrap(TransmissionWire.encodeRequestHeader(0, NbdCommand.DISC.wireValue(),
                    handles.incrementAndGet(), 0, 0)));
            session.closeOnFlush();
        }
    }

    /** A protocol error or transport failure: DEAD, the session is closed, in-flight requests fail. */
    public void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        ClientState before = transition(ClientEvent.FAILURE);
        if (before != null) {
            logger.warn("NBD {} epoch {}: {} in {}", target, epoch, cause.toString(), before);
        }
        IoSession current = session;
        if (current != null) {
            current.closeNow();
        } else {
            terminate();
        }
    }

    private void terminate() {
        if (!terminated.compareAndSet(false, true)) {
            return;
        }
        ClientState end = state.get();
        Throwable cause = failure;
        String reason = end == ClientState.CLOSED ? "connection to " + target + " closed"
                : "connection lost to " + target + " (epoch " + epoch + ")" + (cause == null ? "" : ": " + cause);
        for (Long handle : inFlight.keySet()) {
            Pending pending = inFlight.remove(handle);
            if (pending != null) {
                pending.future.completeExceptionally(new NbdConnectionException("NBD_CMD_" + pending.command
                        + " offset=" + pending.offset + " length=" + pending.length + " failed: " + reason, cause));
            }
        }
        finished.complete(end); // first: dependents of ready may wait for it
        ready.completeExceptionally(new NbdConnectionException(
                (end == ClientState.CLOSED ? "closed during the handshake with " : "handshake failed with ") + target
                        + (cause == null ? "" : ": " + cause.getMessage()), cause));
        onTerminated.accept(this, cause);
    }
}
