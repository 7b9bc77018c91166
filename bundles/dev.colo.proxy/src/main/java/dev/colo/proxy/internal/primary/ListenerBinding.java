package dev.colo.proxy.internal.primary;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's listener for clients, kept bound: a bind that fails (the port still held, e.g. right after a
 * failover, or the address not on this host yet) is logged and tried again after 100 ms, doubling up to 2 s, until
 * it succeeds or {@link #close()}. Clients are refused meanwhile, so each change is told to a {@link Listener}: it
 * listens, a bind failed, it stopped. A failure is told (and logged as an error) again only when its cause
 * changes, so that a long wait does not flood the events. Attempts run under this object's lock: none binds
 * after {@link #close()}.
 */
public final class ListenerBinding implements AutoCloseable {
    static final long FIRST_RETRY_MILLIS = 100;
    static final long MAX_RETRY_MILLIS = 2000;
    /** At the longest delay, about once a minute: a reminder that clients are still refused. */
    private static final int REMIND_EVERY_FAILURES = 30;
    private static final Logger logger = LoggerFactory.getLogger(ListenerBinding.class);

    /** Binds the listener: the address bound, or why it could not. */
    @FunctionalInterface
    public interface Bind {
        InetSocketAddress bind() throws IOException;
    }

    /** Runs {@code task} once after {@code millis}; what the proxy's timer does. */
    @FunctionalInterface
    public interface Delay {
        Future<?> after(long millis, Runnable task);
    }

    /** Told of each change; {@code error} says why a bind failed, empty when it listens or stopped. */
    @FunctionalInterface
    public interface Listener {
        void changed(boolean listening, String error);
    }

    private final String service;
    private final String address;
    private final Bind bind;
    private final Delay delay;
    private final Listener listener;
    private volatile boolean listening;
    private long retryMillis = FIRST_RETRY_MILLIS;
    private int failures;
    private String lastError = "";
    private Future<?> retry;
    private boolean closed;

    /** @param address where clients connect, {@code host:port}, for the log */
    public ListenerBinding(String service, String address, Bind bind, Delay delay, Listener listener) {
        this.service = service;
        this.address = address;
        this.bind = bind;
        this.delay = delay;
        this.listener = listener;
    }

    /** Binds now; returns the bound address, or null when the bind failed and is tried again later. */
    public InetSocketAddress start() {
        return attempt();
    }

    public boolean isListening() {
        return listening;
    }

    private synchronized InetSocketAddress attempt() {
        if (closed || listening) {
            return null;
        }
        try {
            InetSocketAddress bound = bind.bind();
            if (failures > 0) {
                logger.info("Proxy {}: listening on {} after {} failed attempt(s)", service, address, failures);
            }
            listening = true;
            listener.changed(true, "");
            return bound;
        } catch (IOException | RuntimeException e) {
            failed(cause(e).toString());
            retry = delay.after(retryMillis, this::attempt);
            retryMillis = Math.min(2 * retryMillis, MAX_RETRY_MILLIS);
            return null;
        }
    }

    private void failed(String error) {
        failures++;
        if (!error.equals(lastError)) {
            lastError = error;
            logger.error("Proxy {}: cannot listen on {}: {}; clients are refused, trying again every {} to {} ms",
                    service, address, error, FIRST_RETRY_MILLIS, MAX_RETRY_MILLIS);
            listener.changed(false, error);
        } else if (failures % REMIND_EVERY_FAILURES == 0) {
            logger.error("Proxy {}: still cannot listen on {} after {} attempts: {}", service, address, failures,
                    error);
        }
    }

    /** What failed underneath: MINA wraps the bind's exception in one that names only the address. */
    private static Throwable cause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Stops trying; a listener that was bound is told it stopped (the caller unbinds it). */
    @Override
    public synchronized void close() {
        closed = true;
        if (retry != null) {
            retry.cancel(false);
        }
        if (listening) {
            listening = false;
            listener.changed(false, "");
        }
    }
}
