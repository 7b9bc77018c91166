package dev.colo.nbd.client;

import dev.colo.api.util.Threads;
import dev.colo.nbd.client.internal.ClientIoHandler;
import dev.colo.nbd.client.internal.Connection;
import dev.colo.nbd.client.internal.ReplyDecoder;
import dev.colo.nbd.protocol.NbdCommand;
import dev.colo.nbd.protocol.NbdConstants;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.core.service.SimpleIoProcessorPool;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.filter.codec.ProtocolDecoder;
import org.apache.mina.filter.codec.ProtocolEncoderAdapter;
import org.apache.mina.filter.codec.ProtocolEncoderOutput;
import org.apache.mina.transport.socket.nio.NioProcessor;
import org.apache.mina.transport.socket.nio.NioSession;
import org.apache.mina.transport.socket.nio.NioSocketConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asynchronous, pipelined NBD client of one export ({@code nbd://host:port/export}).
 *
 * <p>Any number of requests may be in flight; replies are matched by handle in any order. Futures
 * complete on the connection's I/O thread: do not block in their callbacks. A request the server
 * answers with an error fails with {@link NbdCommandException}; a request in flight when the connection
 * is lost fails with {@link NbdConnectionException} ("connection lost") and is never replayed, since a
 * write is not idempotent across connections. Requests outside the export, longer than the maximum
 * payload or not supported by the export's transmission flags are refused locally with
 * {@link IllegalArgumentException} or {@link UnsupportedOperationException}.
 *
 * <p>Reconnect (if {@link Options#autoReconnect()}): after a connection that reached READY is lost, the
 * client redials with exponential backoff between {@link Options#reconnectMinBackoff()} and
 * {@link Options#reconnectMaxBackoff()}, forever until {@link #close()}. While it is not READY, new
 * requests <b>fail fast</b> with {@link NbdConnectionException}; callers that prefer to wait compose on
 * {@link #whenReady()}.
 */
public final class NbdClient implements AutoCloseable {

    /** Default NBD port. */
    public static final int DEFAULT_PORT = 10809;

    /**
     * Client options.
     *
     * @param connectTimeout limit for the TCP connect and the whole handshake
     * @param autoReconnect whether to redial after a connection loss
     * @param reconnectMinBackoff first delay before a redial, doubled after each failed attempt
     * @param reconnectMaxBackoff largest delay between redials
     * @param sslContext if not {@code null}, NBD_OPT_STARTTLS is required before any other option
     */
    public record Options(Duration connectTimeout, boolean autoReconnect, Duration reconnectMinBackoff,
            Duration reconnectMaxBackoff, SSLContext sslContext) {
        public Options {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(reconnectMinBackoff, "reconnectMinBackoff");
            Objects.requireNonNull(reconnectMaxBackoff, "reconnectMaxBackoff");
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
            }
            if (reconnectMinBackoff.isNegative() || reconnectMinBackoff.isZero()
                    || reconnectMaxBackoff.compareTo(reconnectMinBackoff) < 0) {
                throw new IllegalArgumentException("need 0 < reconnectMinBackoff <= reconnectMaxBackoff: "
                        + reconnectMinBackoff + ", " + reconnectMaxBackoff);
            }
        }

        /** 10 s connect timeout, no reconnect, backoff 100 ms to 10 s, no TLS. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(10), false, Duration.ofMillis(100), Duration.ofSeconds(10), null);
        }

        public Options withAutoReconnect(boolean on) {
            return new Options(connectTimeout, on, reconnectMinBackoff, reconnectMaxBackoff, sslContext);
        }

        public Options withReconnectBackoff(Duration min, Duration max) {
            return new Options(connectTimeout, autoReconnect, min, max, sslContext);
        }

        public Options withConnectTimeout(Duration timeout) {
            return new Options(timeout, autoReconnect, reconnectMinBackoff, reconnectMaxBackoff, sslContext);
        }

        public Options withTls(SSLContext context) {
            return new Options(connectTimeout, autoReconnect, reconnectMinBackoff, reconnectMaxBackoff, context);
        }
    }

    private final Logger logger = LoggerFactory.getLogger(NbdClient.class);
    private final InetSocketAddress address;
    private final String exportName;
    private final Options options;
    private final String target;
    private final NioSocketConnector connector;
    private final ExecutorService ioExecutor;
    private final SimpleIoProcessorPool<NioSession> processors;
    private final ScheduledExecutorService scheduler;
    private final AtomicLong epochs = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private volatile Connection connection;
    private volatile ExportDetails export;
    private volatile CompletableFuture<Void> readySignal = new CompletableFuture<>();
    private volatile int failedAttempts;

    private NbdClient(InetSocketAddress address, String exportName, Options options) {
        this.address = address;
        this.exportName = exportName;
        this.options = options;
        this.target = "nbd://" + address.getHostString() + ":" + address.getPort() + "/" + exportName;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(Threads.named("colo-nbd-client-timer-"));
        this.ioExecutor = Executors.newCachedThreadPool(Threads.named("colo-nbd-client-io-"));
        this.processors = new SimpleIoProcessorPool<>(NioProcessor.class, ioExecutor, 1, null);
        this.connector = new NioSocketConnector(ioExecutor, processors);
        connector.setConnectTimeoutMillis(options.connectTimeout().toMillis());
        connector.getSessionConfig().setTcpNoDelay(true);
        connector.getFilterChain().addLast(Connection.CODEC_FILTER, new ProtocolCodecFilter(new PassThroughEncoder(),
                (ProtocolDecoder) new ReplyDecoder(NbdConstants.MAX_PAYLOAD_BYTES)));
        connector.setHandler(new ClientIoHandler());
    }

    /**
     * Connects to {@code nbd://host[:port]/export} (or {@code nbds://}, which requires an SSLContext);
     * completes once the first handshake succeeded. A first connect that fails is not retried.
     */
    public static CompletableFuture<NbdClient> connect(URI uri, Options options) {
        if (!"nbd".equals(uri.getScheme()) && !"nbds".equals(uri.getScheme())) {
            throw new IllegalArgumentException("not an nbd:// URI: " + uri);
        }
        if ("nbds".equals(uri.getScheme()) && options.sslContext() == null) {
            throw new IllegalArgumentException(uri + " requires TLS: set Options.withTls(SSLContext)");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        return connect(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(),
                path.startsWith("/") ? path.substring(1) : path, options);
    }

    /** Connects to the export {@code exportName} at host:port; completes once the first handshake succeeded. */
    public static CompletableFuture<NbdClient> connect(String host, int port, String exportName, Options options) {
        NbdClient client = new NbdClient(new InetSocketAddress(host, port), exportName, options);
        Connection first = client.dial();
        return first.ready().handle((details, failure) -> {
            if (failure != null) {
                client.closeAsync(); // never block here: this may run on the I/O thread
                throw new java.util.concurrent.CompletionException(failure);
            }
            client.onReady(details); // also registered on the connection, but the order of dependents is not defined
            return client;
        });
    }

    private Connection dial() {
        Connection next = new Connection(epochs.incrementAndGet(), target, exportName, options.sslContext(),
                this::onTerminated);
        connection = next;
        next.transition(ClientEvent.DIAL);
        next.ready().thenAccept(this::onReady);
        ConnectFuture connecting = connector.connect(address,
                (IoSession session, ConnectFuture future) -> ClientIoHandler.attach(session, next));
        connecting.addListener(future -> {
            ConnectFuture done = (ConnectFuture) future;
            if (!done.isConnected()) {
                next.connectFailed(done.getException() == null ? new NbdConnectionException("connect failed")
                        : done.getException());
            }
        });
        scheduler.schedule(() -> {
            if (!next.ready().isDone()) {
                next.fail(new NbdConnectionException("handshake with " + target + " not done within "
                        + options.connectTimeout().toMillis() + " ms"));
            }
        }, options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return next;
    }

    private void onReady(ExportDetails details) {
        if (export != null && export.sizeBytes() != details.sizeBytes()) {
            logger.warn("NBD {}: export size changed from {} to {} bytes", target, export.sizeBytes(), details.sizeBytes());
        }
        export = details;
        failedAttempts = 0;
        readySignal.complete(null);
    }

    private void onTerminated(Connection ended, Throwable cause) {
        if (closed.get()) {
            return;
        }
        if (readySignal.isDone()) {
            readySignal = new CompletableFuture<>();
        }
        boolean everReady = export != null;
        if (!options.autoReconnect() || !everReady) {
            return;
        }
        int attempt = failedAttempts++;
        long delay = Math.min(options.reconnectMaxBackoff().toMillis(),
                options.reconnectMinBackoff().toMillis() << Math.min(attempt, 20));
        logger.info("NBD {}: epoch {} ended ({}); redialling in {} ms", target, ended.epoch(), ended.state(), delay);
        try {
            scheduler.schedule(() -> {
                if (!closed.get()) {
                    dial();
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            logger.debug("NBD {}: closed, no redial", target);
        }
    }

    // ---- state -----------------------------------------------------------------------------------------

    /** The export as negotiated by the latest successful handshake. */
    public ExportDetails export() {
        return export;
    }

    /** State of the current connection. */
    public ClientState state() {
        return connection.state();
    }

    /** Number of the current connection, 1 for the first dial, incremented at each redial. */
    public long epoch() {
        return connection.epoch();
    }

    public boolean isReady() {
        return connection.state() == ClientState.READY;
    }

    /** Completes when a connection is READY (at once if it is); fails when the client is closed. */
    public CompletableFuture<Void> whenReady() {
        return isReady() ? CompletableFuture.completedFuture(null) : readySignal;
    }

    /** Number of requests in flight on the current connection. */
    public int inFlight() {
        return connection.inFlightCount();
    }

    // ---- requests --------------------------------------------------------------------------------------

    /** Reads {@code length} bytes at {@code offset}. */
    public CompletableFuture<byte[]> read(long offset, int length) {
        return this.<byte[]>checked(NbdCommand.READ, offset, length, true).orElseGet(() ->
                connection.submit(NbdCommand.READ, 0, offset, length, null));
    }

    /** Reads {@code dst.remaining()} bytes at {@code offset} into {@code dst} (its position advances). */
    public CompletableFuture<Void> read(long offset, ByteBuffer dst) {
        return read(offset, dst.remaining()).thenAccept(dst::put);
    }

    /** Writes {@code data} at {@code offset}; with {@code fua} the data is durable when the future completes. */
    public CompletableFuture<Void> write(long offset, byte[] data, boolean fua) {
        return write(offset, ByteBuffer.wrap(data), fua);
    }

    /** Writes the remaining bytes of {@code data} (position unchanged) at {@code offset}. */
    public CompletableFuture<Void> write(long offset, ByteBuffer data, boolean fua) {
        int length = data.remaining();
        return this.<Void>checked(NbdCommand.WRITE, offset, length, true)
                .or(() -> writable(NbdCommand.WRITE, fua))
                .orElseGet(() -> connection.submit(NbdCommand.WRITE, fua ? NbdConstants.CMD_FLAG_FUA : 0, offset,
                        length, data).thenApply(ignored -> null));
    }

    /** Makes every completed write durable. */
    public CompletableFuture<Void> flush() {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new NbdConnectionException("client of " + target + " is closed"));
        }
        ExportDetails details = export;
        if (details != null && !details.canFlush()) {
            return CompletableFuture.failedFuture(new UnsupportedOperationException(
                    "NBD_CMD_FLUSH: " + target + " does not advertise NBD_FLAG_SEND_FLUSH"));
        }
        return connection.submit(NbdCommand.FLUSH, 0, 0, 0, null).thenApply(ignored -> null);
    }

    /** Tells the server the range's content is no longer needed. */
    public CompletableFuture<Void> trim(long offset, int length) {
        return this.<Void>checked(NbdCommand.TRIM, offset, length, false)
                .or(() -> writable(NbdCommand.TRIM, false))
                .or(() -> export.canTrim() ? java.util.Optional.empty() : java.util.Optional.of(unsupported(
                        NbdCommand.TRIM, "NBD_FLAG_SEND_TRIM")))
                .orElseGet(() -> connection.submit(NbdCommand.TRIM, 0, offset, length, null).thenApply(ignored -> null));
    }

    /** Writes zeroes; with {@code noHole} the server must allocate rather than punch a hole. */
    public CompletableFuture<Void> writeZeroes(long offset, int length, boolean noHole) {
        return this.<Void>checked(NbdCommand.WRITE_ZEROES, offset, length, false)
                .or(() -> writable(NbdCommand.WRITE_ZEROES, false))
                .or(() -> export.canWriteZeroes() ? java.util.Optional.empty() : java.util.Optional.of(unsupported(
                        NbdCommand.WRITE_ZEROES, "NBD_FLAG_SEND_WRITE_ZEROES")))
                .orElseGet(() -> connection.submit(NbdCommand.WRITE_ZEROES, noHole ? NbdConstants.CMD_FLAG_NO_HOLE : 0,
                        offset, length, null).thenApply(ignored -> null));
    }

    private <T> java.util.Optional<CompletableFuture<T>> checked(NbdCommand command, long offset, int length,
            boolean payload) {
        if (closed.get()) {
            return java.util.Optional.of(CompletableFuture.failedFuture(
                    new NbdConnectionException("NBD_CMD_" + command + ": client of " + target + " is closed")));
        }
        ExportDetails details = export;
        String what = "NBD_CMD_" + command + " offset=" + offset + " length=" + length;
        if (length <= 0 || offset < 0 || details != null && offset > details.sizeBytes() - length) {
            return java.util.Optional.of(CompletableFuture.failedFuture(new IllegalArgumentException(what
                    + " refused: outside the export of " + (details == null ? "?" : details.sizeBytes()) + " bytes")));
        }
        if (payload && length > (details == null ? NbdConstants.MAX_PAYLOAD_BYTES : details.maxBlockBytes())) {
            return java.util.Optional.of(CompletableFuture.failedFuture(new IllegalArgumentException(what
                    + " refused: above the maximum payload of "
                    + (details == null ? NbdConstants.MAX_PAYLOAD_BYTES : details.maxBlockBytes()) + " bytes")));
        }
        return java.util.Optional.empty();
    }

    private <T> java.util.Optional<CompletableFuture<T>> writable(NbdCommand command, boolean fua) {
        ExportDetails details = export;
        if (details.readOnly()) {
            return java.util.Optional.of(CompletableFuture.failedFuture(new UnsupportedOperationException(
                    "NBD_CMD_" + command + " refused: " + target + " is read-only")));
        }
        if (fua && !details.canFua()) {
            return java.util.Optional.of(unsupported(command, "NBD_FLAG_SEND_FUA"));
        }
        return java.util.Optional.empty();
    }

    private <T> CompletableFuture<T> unsupported(NbdCommand command, String flag) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                "NBD_CMD_" + command + " refused: " + target + " does not advertise " + flag));
    }

    // ---- close -----------------------------------------------------------------------------------------

    /**
     * Orderly close, idempotent: no new requests, NBD_CMD_DISC once the requests in flight are answered,
     * no reconnect. The future completes when the connection is closed and the I/O threads are released.
     */
    public CompletableFuture<Void> closeAsync() {
        if (closed.compareAndSet(false, true)) {
            readySignal.completeExceptionally(new NbdConnectionException("client of " + target + " closed"));
            connection.close().whenComplete((end, failure) -> {
                // this may run on the I/O thread, which must not wait for its own pool: release from another
                Thread release = new Thread(this::releaseThreads, "colo-nbd-client-close");
                release.setDaemon(true);
                release.start();
            });
        }
        return closeFuture;
    }

    /** {@link #closeAsync()} and wait for it (at most the connect timeout, then the session is dropped). */
    @Override
    public void close() {
        try {
            closeAsync().get(options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            logger.warn("NBD {}: close did not complete in order: {}", target, e.toString());
            connection.fail(new NbdConnectionException("close timed out"));
        }
    }

    private void releaseThreads() {
        try {
            scheduler.shutdownNow();
            connector.dispose(true);
            processors.dispose();
            ioExecutor.shutdown();
            if (!ioExecutor.awaitTermination(2, TimeUnit.SECONDS)) {
                ioExecutor.shutdownNow();
            }
        } catch (InterruptedException e) {
            ioExecutor.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            closeFuture.complete(null);
        }
    }

    @Override
    public String toString() {
        return "NbdClient[" + target + " " + connection.state() + " epoch " + connection.epoch() + "]";
    }

    /** Requests are encoded by the connection itself; the encoder passes buffers through. */
    private static final class PassThroughEncoder extends ProtocolEncoderAdapter {
        @Override
        public void encode(IoSession session, Object message, ProtocolEncoderOutput out) {
            out.write(message);
        }
    }
}
