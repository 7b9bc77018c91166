package dev.colo.nbd.internal.mina;

import dev.colo.nbd.internal.server.NbdExport;
import dev.colo.nbd.internal.server.OptionNegotiator;
import dev.colo.nbd.internal.server.RequestExecutor;
import dev.colo.nbd.internal.server.TlsMode;
import dev.colo.nbd.protocol.ClientFlags;
import dev.colo.nbd.protocol.NbdCommand;
import dev.colo.nbd.protocol.NbdConstants;
import dev.colo.nbd.protocol.NbdError;
import dev.colo.nbd.protocol.NbdRequest;
import dev.colo.nbd.protocol.OptionRequest;
import dev.colo.nbd.protocol.PayloadBuffers;
import dev.colo.nbd.protocol.ServerGreeting;
import dev.colo.nbd.protocol.ServerMessage;
import java.io.IOException;
import javax.net.ssl.SSLException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.apache.mina.core.filterchain.IoFilter;
import org.apache.mina.core.future.WriteFuture;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolDecoderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of every connection to one export. The handshake runs on the I/O thread; requests are
 * validated there and executed either right there (small READ/WRITE, see {@link #runsInline}) or on the
 * worker pool, each reply written as soon as its request completes (the handle pairs it with the
 * request). A framing error closes only the connection that made it.
 */
final class NbdServerIoHandler extends IoHandlerAdapter {
    /** Seconds a client may stay silent during the handshake before it is disconnected. */
    static final int HANDSHAKE_IDLE_SECONDS = 30;
    /** Largest READ or WRITE (without FUA) executed on the I/O thread, see {@link #runsInline}. */
    static final int INLINE_MAX_BYTES = 256 * 1024;

    private static final Logger logger = LoggerFactory.getLogger(NbdServerIoHandler.class);

    private final NbdExport export;
    private final RequestExecutor executor;
    private final ExecutorService workers;
    private final TlsMode tlsMode;
    private final Supplier<IoFilter> tlsFilter;
    private final PayloadBuffers payloads;

    NbdServerIoHandler(NbdExport export, ExecutorService workers, PayloadBuffers payloads) {
        this(export, workers, payloads, TlsMode.NONE, null);
    }

    /**
     * @param payloads where the decoder put WRITE payloads; each goes back there once its request ran
     * @param tlsFilter a new server-side SslFilter per call; null with {@link TlsMode#NONE}
     */
    NbdServerIoHandler(NbdExport export, ExecutorService workers, PayloadBuffers payloads, TlsMode tlsMode,
            Supplier<IoFilter> tlsFilter) {
        this.export = export;
        this.executor = new RequestExecutor(export);
        this.workers = workers;
        this.payloads = payloads;
        this.tlsMode = tlsMode;
        this.tlsFilter = tlsFilter;
    }

    @Override
    public void sessionOpened(IoSession session) {
        session.setAttribute(SessionKeys.CONNECTION, new NbdConnection(session, export, tlsMode));
        SessionKeys.decodeState(session);
        session.getConfig().setIdleTime(IdleStatus.READER_IDLE, HANDSHAKE_IDLE_SECONDS);
        export.counters().connectionOpened();
        logger.debug("Export {}: session {} from {} opened", export.name(), session.getId(),
                session.getRemoteAddress());
        session.write(ServerGreeting.fixedNewstyle());
    }

    @Override
    public void sessionClosed(IoSession session) {
        NbdConnection connection = connection(session);
        if (connection != null) {
            connection.leaveActive(ConnectionStatus.CLIENT_DONE);
            export.counters().connectionClosed();
        }
        logger.debug("Export {}: session {} from {} closed", export.name(), session.getId(),
                session.getRemoteAddress());
    }

    @Override
    public void sessionIdle(IoSession session, IdleStatus status) {
        if (SessionKeys.decodeState(session).phase() != DecodePhase.TRANSMISSION) {
            logger.info("Export {}: session {} from {} idle for {} s during the handshake, closing", export.name(),
                    session.getId(), session.getRemoteAddress(), HANDSHAKE_IDLE_SECONDS);
            session.closeNow();
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        NbdConnection connection = connection(session);
        if (connection != null) {
            connection.markDead();
        }
        SessionKeys.decodeState(session).phase(DecodePhase.DONE);
        if (cause instanceof ProtocolDecoderException || cause instanceof SSLException
                || cause.getCause() instanceof SSLException) {
            export.counters().protocolError();
            logger.warn("Export {}: session {} from {} closed for a protocol error: {}", export.name(),
                    session.getId(), session.getRemoteAddress(), rootMessage(cause));
        } else if (cause instanceof IOException) {
            logger.debug("Export {}: session {} from {}: {}", export.name(), session.getId(),
                    session.getRemoteAddress(), cause.toString());
        } else {
            logger.warn("Export {}: session {} from {} failed", export.name(), session.getId(),
                    session.getRemoteAddress(), cause);
        }
        session.closeNow();
    }

    @Override
    public void messageReceived(IoSession session, Object message) {
        NbdConnection connection = connection(session);
        if (message instanceof NbdRequest request) {
            if (connection == null || !request(session, connection, request)) {
                release(request);
            }
            return;
        }
        if (connection == null || connection.status() == ConnectionStatus.DEAD) {
            return;
        }
        if (message instanceof OptionRequest option) {
            option(session, connection, option);
        } else if (message instanceof ClientFlags flags) {
            clientFlags(session, connection, flags);
        }
    }

    private void clientFlags(IoSession session, NbdConnection connection, ClientFlags flags) {
        if (flags.unknownBits() != 0) {
            export.counters().protocolError();
            logger.warn("Export {}: session {} from {} sent unknown client flags 0x{}, closing", export.name(),
                    session.getId(), session.getRemoteAddress(), Integer.toHexString(flags.flags()));
            connection.markDead();
            SessionKeys.decodeState(session).phase(DecodePhase.DONE);
            session.closeNow();
            return;
        }
        connection.negotiator().clientFlags(flags);
    }

    private void option(IoSession session, NbdConnection connection, OptionRequest option) {
        logger.debug("Export {}: session {} option {}", export.name(), session.getId(), option);
        OptionNegotiator.Outcome outcome = connection.negotiator().handle(option);
        WriteFuture lastWrite = null;
        for (ServerMessage reply : outcome.replies()) {
            lastWrite = session.write(reply);
        }
        DecodeState state = SessionKeys.decodeState(session);
        switch (outcome.next()) {
            case START_TLS -> lastWrite.addListener(written -> {
                if (!((WriteFuture) written).isWritten()) {
                    session.closeNow();
                    return;
                }
                // the ACK left in clear text; the client's TLS ClientHello cannot have been read yet
                session.getFilterChain().addFirst(NbdServer.SSL_FILTER, tlsFilter.get());
                connection.negotiator().tlsStarted();
                state.phase(DecodePhase.OPTIONS);
                logger.debug("Export {}: session {} from {} starts TLS", export.name(), session.getId(),
                        session.getRemoteAddress());
            });
            case OPTIONS -> state.phase(DecodePhase.OPTIONS);
            case TRANSMISSION -> {
                connection.enterTransmission();
                session.getConfig().setIdleTime(IdleStatus.READER_IDLE, 0);
                state.phase(DecodePhase.TRANSMISSION);
                logger.info("Export {}: session {} from {} in transmission (structured replies: {}, "
                        + "base:allocation: {})", export.name(), session.getId(), session.getRemoteAddress(),
                        connection.negotiated().structuredReplies(), connection.negotiated().baseAllocation());
            }
            case CLOSE -> {
                connection.leaveActive(ConnectionStatus.CLIENT_DONE);
                state.phase(DecodePhase.DONE);
                session.closeOnFlush();
            }
        }
    }

    /** Handles a request; returns whether it went to execution, which then gives its payload back. */
    private boolean request(IoSession session, NbdConnection connection, NbdRequest request) {
        if (connection.status() != ConnectionStatus.ACTIVE) {
            return false;
        }
        if (logger.isTraceEnabled()) { // spares the varargs array and boxing on every request
            logger.trace("Export {}: session {} {}", export.name(), session.getId(), request);
        }
        if (request.type() == NbdCommand.DISC.wireValue()) {
            export.counters().request(NbdCommand.DISC, 0);
            connection.leaveActive(ConnectionStatus.CLIENT_DONE);
            if (connection.inFlight() == 0) {
                session.closeOnFlush();
            }
            return false;
        }
        Optional<NbdError> refused = export.validator().validate(request, connection.negotiated());
        if (refused.isPresent()) {
            logger.debug("Export {}: session {} {} refused with {}", export.name(), session.getId(), request,
                    refused.get());
            session.write(executor.errorReply(request, refused.get(), connection.negotiated()));
            return false;
        }
        long bytes = request.payloadBytes()
                + (request.type() == NbdCommand.READ.wireValue() ? request.lengthUnsigned() : 0);
        connection.started(bytes);
        export.counters().started();
        Runnable execution = () -> execute(session, connection, request, bytes);
        if (export.runsOnIoThreads() && runsInline(request)) {
            execution.run();
            return true;
        }
        try {
            workers.execute(execution);
            return true;
        } catch (RejectedExecutionException e) {
            finished(session, connection, bytes);
            connection.leaveActive(ConnectionStatus.SHUTDOWN);
            session.closeNow();
            return false;
        }
    }

    private void execute(IoSession session, NbdConnection connection, NbdRequest request, long bytes) {
        ServerMessage reply;
        try {
            reply = executor.execute(request, connection.negotiated());
        } finally {
            release(request);
        }
        session.write(reply).addListener(written -> finished(session, connection, bytes));
    }

    private void release(NbdRequest request) {
        if (request.hasPayload()) {
            payloads.release(request.payload());
        }
    }

    /**
     * Whether a request runs on the I/O thread instead of the worker pool. A READ or WRITE without FUA of
     * up to {@value #INLINE_MAX_BYTES} bytes (nbdcopy's default request size) normally only touches the
     * page cache, which takes less time than the two thread hand-offs it would otherwise cost (to a
     * worker, and back to the I/O thread for the reply). FLUSH and FUA may wait for the disk, and larger
     * or zeroing requests move much data: they stay on the workers so as not to stall the other sessions
     * of this I/O thread. Requests in flight together have no order in NBD, so mixing both paths is
     * allowed; a FLUSH still covers every write replied to before it, as all go through the same store.
     */
    private static boolean runsInline(NbdRequest request) {
        int type = request.type();
        return (type == NbdCommand.READ.wireValue() || type == NbdCommand.WRITE.wireValue())
                && !request.hasFlag(NbdConstants.CMD_FLAG_FUA)
                && request.lengthUnsigned() <= INLINE_MAX_BYTES;
    }

    private void finished(IoSession session, NbdConnection connection, long bytes) {
        export.counters().finished();
        int remaining = connection.finished(bytes);
        if (remaining == 0 && connection.status() == ConnectionStatus.CLIENT_DONE) {
            session.closeOnFlush();
        }
    }

    private static NbdConnection connection(IoSession session) {
        return (NbdConnection) session.getAttribute(SessionKeys.CONNECTION);
    }

    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
