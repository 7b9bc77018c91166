package dev.colo.nbd.internal.mina;

import dev.colo.api.util.Threads;
import dev.colo.nbd.internal.server.NbdExport;
import dev.colo.nbd.internal.server.NbdTlsSettings;
import dev.colo.nbd.internal.server.ServerTls;
import dev.colo.nbd.internal.server.TlsMode;
import dev.colo.nbd.internal.storage.PayloadPool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.apache.mina.core.filterchain.IoFilter;
import org.apache.mina.filter.ssl.SslFilter;
import org.apache.mina.core.service.SimpleIoProcessorPool;
import org.apache.mina.filter.codec.ProtocolCodecFilter;
import org.apache.mina.transport.socket.nio.NioProcessor;
import org.apache.mina.transport.socket.nio.NioSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener of one export over TCP: a MINA acceptor (filter chain {@value #CODEC_FILTER} → handler,
 * with {@value #SSL_FILTER} put in front once a client starts TLS) and a small worker pool that executes
 * the requests that may block (see {@code NbdServerIoHandler#runsInline}). Threads are
 * {@code colo-nbd-<export>-io-N} and {@code colo-nbd-<export>-worker-N}.
 */
public final class NbdServer implements AutoCloseable {
    /** Name of the TLS filter, added in front of the codec when a client sends NBD_OPT_STARTTLS. */
    public static final String SSL_FILTER = "ssl";
    /** Name of the codec filter in the chain. */
    public static final String CODEC_FILTER = "codec";
    /** Worker threads executing requests of all connections of one export. */
    public static final int DEFAULT_WORKER_THREADS = 4;
    private static final long STOP_TIMEOUT_MS = 2_000;
    /**
     * MINA allocates a heap buffer for every socket read, of an adaptive size between these two. 256 KiB
     * holds a usual WRITE in one read; larger buffers would be humongous objects for G1 with a node's
     * default heap (1 MiB regions), whose allocation is slow and starts concurrent marking cycles.
     */
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final int MAX_READ_BUFFER_BYTES = 256 * 1024;

    private static final Logger logger = LoggerFactory.getLogger(NbdServer.class);

    private final NbdExport export;
    private final InetSocketAddress requested;
    private final ExecutorService ioExecutor;
    private final ExecutorService workers;
    private final SimpleIoProcessorPool<NioSession> processors;
    private final NioSocketAcceptor acceptor;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final TlsMode tlsMode;

    public NbdServer(NbdExport export, InetSocketAddress address) {
        this(export, address, DEFAULT_WORKER_THREADS);
    }

    public NbdServer(NbdExport export, InetSocketAddress address, int workerThreads) {
        this(export, address, workerThreads, TlsMode.NONE, null);
    }

    /**
     * @param tls with {@link TlsMode#OPTIONAL} or {@link TlsMode#REQUIRED}: the key material of STARTTLS
     */
    public NbdServer(NbdExport export, InetSocketAddress address, int workerThreads, TlsMode tlsMode,
            NbdTlsSettings tls) {
        this(export, address, workerThreads, ServerTls.of(tlsMode, tls)); // bad key material fails before any thread
    }

    /** @param tls the mode and, unless {@link TlsMode#NONE}, a ready SSL context for STARTTLS */
    public NbdServer(NbdExport export, InetSocketAddress address, int workerThreads, ServerTls tls) {
        TlsMode tlsMode = tls.mode();
        Supplier<IoFilter> tlsFilter = tlsMode == TlsMode.NONE ? null : tlsFilters(tls);
        this.export = export;
        this.requested = address;
        String prefix = "colo-nbd-" + export.name();
        this.ioExecutor = Executors.newCachedThreadPool(Threads.named(prefix + "-io-"));
        this.workers = Executors.newFixedThreadPool(workerThreads, Threads.named(prefix + "-worker-"));
        this.processors = new SimpleIoProcessorPool<>(NioProcessor.class, ioExecutor);
        this.acceptor = new NioSocketAcceptor(ioExecutor, processors);
        acceptor.setReuseAddress(true);
        acceptor.setCloseOnDeactivation(true);
        acceptor.setBacklog(1024);
        acceptor.getSessionConfig().setTcpNoDelay(true);
        acceptor.getSessionConfig().setReadBufferSize(READ_BUFFER_BYTES);
        acceptor.getSessionConfig().setMaxReadBufferSize(MAX_READ_BUFFER_BYTES);
        PayloadPool payloads = new PayloadPool();
        acceptor.getFilterChain().addLast(CODEC_FILTER, new ProtocolCodecFilter(new NbdCodecFactory(payloads)));
        acceptor.setHandler(new NbdServerIoHandler(export, workers, payloads, tlsMode, tlsFilter));
        this.tlsMode = tlsMode;
    }

    /** Binds the listener; returns the bound address (with the real port when 0 was asked for). */
    public InetSocketAddress start() throws IOException {
        acceptor.bind(requested);
        InetSocketAddress bound = acceptor.getLocalAddress();
        logger.info("NBD export {} listening on {} ({} bytes, {}, TLS {})", export.name(), bound,
                export.info().sizeBytes(), export.info().readOnly() ? "read-only" : "read-write", tlsMode);
        return bound;
    }

    public InetSocketAddress localAddress() {
        return acceptor.getLocalAddress();
    }

    public NbdExport export() {
        return export;
    }

    /** Stops listening, closes every connection and stops the threads; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        acceptor.unbind();
        acceptor.getManagedSessions().values().forEach(session -> session.closeNow());
        acceptor.dispose(true);
        workers.shutdownNow();
        processors.dispose();
        ioExecutor.shutdown();
        try {
            if (!workers.awaitTermination(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                    || !ioExecutor.awaitTermination(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                ioExecutor.shutdownNow();
            }
        } catch (InterruptedException e) {
            ioExecutor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        logger.info("NBD export {} stopped", export.name());
    }

    /** New server-side TLS filters over the one SSL context of the export. */
    private static Supplier<IoFilter> tlsFilters(ServerTls tls) {
        SSLContext context = tls.context();
        boolean needClientAuth = tls.requireClientCertificate();
        return () -> {
            SslFilter filter = new SslFilter(context);
            filter.setEnabledProtocols(NbdTlsSettings.PROTOCOL);
            filter.setNeedClientAuth(needClientAuth);
            // as in the peer link: the classic handler passes data on as soon as the handshake completes
            filter.setUseNonBlockingPipeline(false);
            return filter;
        };
    }

}
