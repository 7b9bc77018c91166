package dev.colo.guest.kv.internal.server;

import dev.colo.api.util.Threads;
import dev.colo.guest.kv.internal.resp.Resp;
import dev.colo.guest.kv.internal.resp.RespException;
import dev.colo.guest.kv.internal.resp.RespReader;
import dev.colo.guest.kv.internal.store.ClientReplies;
import dev.colo.guest.kv.internal.store.KvStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference guest's network side: RESP2 over TCP, each connection's commands submitted to the store in order
 * and answered in order, each under the {@link PauseGate} from its submission to its reply, so that a checkpoint
 * sees the guest quiescent (no write pending). A failure it cannot serve through
 * (an I/O thread that dies of an error, which leaves its connections unanswered; an error such as an
 * {@link OutOfMemoryError} in a command) is told to its owner, who restarts it.
 */
public final class KvServer implements AutoCloseable {
    private static final AttributeKey READER = new AttributeKey(KvServer.class, "reader");
    private static final AttributeKey REPLIES = new AttributeKey(KvServer.class, "replies");
    private static final Logger logger = LoggerFactory.getLogger(KvServer.class);

    /** Told of a failure the server cannot serve through. */
    @FunctionalInterface
    public interface FailureListener {
        void failed(KvServer server, String what);
    }

    private final KvStore store;
    private final ServerOptions options;
    private final FailureListener owner;
    private final Watchdog watchdog;
    private final PauseGate gate = new PauseGate();
    private final String name;
    private final ExecutorService ioExecutor;
    private final NioSocketAcceptor acceptor;

    public KvServer(String name, KvStore store, ServerOptions options, FailureListener owner) {
        this.name = name;
        this.store = store;
        this.options = options;
        this.owner = owner;
        this.watchdog = new Watchdog(options.watchdogMillis());
        this.ioExecutor = Executors.newCachedThreadPool(Threads.named("colo-guest-" + name + "-io-",
                (thread, error) -> owner.failed(this, "its I/O thread " + thread.getName() + " died: " + error)));
        this.acceptor = new NioSocketAcceptor(ioExecutor, new org.apache.mina.core.service.SimpleIoProcessorPool<>(
                org.apache.mina.transport.socket.nio.NioProcessor.class, ioExecutor));
        acceptor.setReuseAddress(true);
        // unbinding must not wait for every session to close: one on an I/O thread that died never would
        acceptor.setCloseOnDeactivation(false);
        acceptor.setBacklog(1024);
        acceptor.getSessionConfig().setTcpNoDelay(true);
        acceptor.setHandler(new Handler());
    }

    /** Starts the store's log writer and listens; returns the bound address (the real port when 0 was asked for). */
    public InetSocketAddress start(InetSocketAddress address) throws IOException {
        store.start(Threads.named("colo-guest-" + name + "-log-",
                (thread, error) -> owner.failed(this, "its log writer " + thread.getName() + " died: " + error)));
        acceptor.bind(address);
        return (InetSocketAddress) acceptor.getLocalAddress();
    }

    public void pause() {
        gate.pause();
    }

    public void resume() {
        gate.resume();
    }

    /**
     * The watchdog's look (from one thread, at intervals well below the timeout): what is wrong if commands have
     * been in progress with none completing for the timeout. Commands waiting while a checkpoint holds the guest
     * paused are not in progress.
     */
    public Optional<String> hang(long nowNanos) {
        PauseGate.Progress progress = gate.progress();
        if (!watchdog.hung(nowNanos, progress)) {
            return Optional.empty();
        }
        return Optional.of(progress.running() + " command(s) in progress and none completed for "
                + watchdog.stuckMillis(nowNanos) + " ms");
    }

    @Override
    public void close() {
        gate.close(); // first: unbinding waits for the sessions, whose threads may wait for a paused gate
        acceptor.unbind();
        acceptor.getManagedSessions().values().forEach(IoSession::closeNow);
        acceptor.dispose(false); // nor wait for I/O threads: a restart after a failure must not hang on one
        // never interrupted: a thread interrupted in a FileChannel's I/O closes the channel, and those are the
        // replicated disk's (its data, its dirty bitmap), which outlive this guest
        ioExecutor.shutdown();
        store.close(); // after the connections: what it still writes is answered to no one, and nothing after it
    }

    private final class Handler extends IoHandlerAdapter {
        @Override
        public void sessionOpened(IoSession session) {
            session.setAttribute(READER, new RespReader(options.maxBulkBytes(), options.budget()));
            session.setAttribute(REPLIES, store.client(reply -> {
                session.write(IoBuffer.wrap(reply));
                gate.exit();
            }));
        }

        @Override
        public void sessionClosed(IoSession session) {
            RespReader reader = (RespReader) session.getAttribute(READER);
            if (reader != null) {
                reader.close();
            }
        }

        @Override
        public void messageReceived(IoSession session, Object message) throws InterruptedException {
            RespReader reader = (RespReader) session.getAttribute(READER);
            ClientReplies replies = (ClientReplies) session.getAttribute(REPLIES);
            try {
                reader.feed(((IoBuffer) message).buf());
            } catch (RespException e) {
                refuse(session, e);
                return;
            }
            while (true) {
                List<byte[]> command;
                try {
                    command = reader.next();
                } catch (RespException e) {
                    refuse(session, e);
                    return;
                }
                if (command == null) {
                    return;
                }
                if (!gate.enter()) {
                    session.closeNow(); // the guest stops: nothing more runs, nothing more is said
                    return;
                }
                try {
                    if (options.debugCommands() && DebugCommand.is(command)) {
                        byte[] reply;
                        try {
                            reply = DebugCommand.run(command);
                        } catch (Error error) { // DEBUG OOM and PANIC
                            gate.exit(); // never answered: a pause (a hand-over's checkpoint) must not wait for it
                            throw error;
                        }
                        store.answer(replies, reply);
                    } else {
                        store.submit(replies, command); // answered through the replies' sink, now or later
                    }
                } catch (VirtualMachineError error) {
                    // kept from MINA, whose I/O thread would die of it and leave its connections unanswered; a store
                    // that failed with it may leave its command in the gate: the guest restarts, a new server and gate
                    session.closeNow();
                    owner.failed(KvServer.this, "a command failed with " + error);
                    return;
                }
            }
        }

        /** Answers a protocol error (what Redis says) and closes: the rest of the stream cannot be trusted. */
        private void refuse(IoSession session, RespException e) {
            session.write(IoBuffer.wrap(Resp.error("ERR Protocol error: " + e.getMessage())));
            session.closeOnFlush();
        }

        @Override
        public void exceptionCaught(IoSession session, Throwable cause) {
            session.closeNow();
            if (cause instanceof Error error) {
                owner.failed(KvServer.this, "a command failed with " + error); // the heap or the JVM is in doubt
            } else {
                logger.debug("Guest client {}: {}", session.getRemoteAddress(), cause.toString());
            }
        }
    }
}
