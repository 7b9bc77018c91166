package dev.colo.transport.internal.mina;

import dev.colo.api.util.Threads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.mina.core.service.SimpleIoProcessorPool;
import org.apache.mina.transport.socket.nio.NioProcessor;
import org.apache.mina.transport.socket.nio.NioSession;

/**
 * The threads of one peer link, created at activation and stopped at deactivation: a pool for MINA's
 * acceptor, connectors and I/O processors (shared by all of them), and a timer for reconnects and
 * greeting deadlines. MINA renames its workers while they run ({@code NioProcessor-1}); the threads
 * themselves are {@code colo-transport-io-N} and {@code colo-transport-timer}.
 */
final class IoThreads implements AutoCloseable {
    private static final long STOP_TIMEOUT_MS = 2_000;

    private final ExecutorService ioExecutor = Executors.newCachedThreadPool(Threads.named("colo-transport-io-"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Threads.named("colo-transport-timer-"));
    private final SimpleIoProcessorPool<NioSession> processors = new SimpleIoProcessorPool<>(NioProcessor.class,
            ioExecutor);

    ExecutorService ioExecutor() {
        return ioExecutor;
    }

    SimpleIoProcessorPool<NioSession> processors() {
        return processors;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    /** Call after the acceptor and connectors were disposed. */
    @Override
    public void close() {
        timer.shutdownNow();
        processors.dispose();
        ioExecutor.shutdown();
        try {
            if (!ioExecutor.awaitTermination(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                ioExecutor.shutdownNow();
            }
        } catch (InterruptedException e) {
            ioExecutor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

}
