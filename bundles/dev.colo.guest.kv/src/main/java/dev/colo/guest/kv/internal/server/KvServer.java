package dev.colo.guest.kv.internal.server;

import dev.colo.api.guest.ConnectionHeader;
import dev.colo.api.util.Threads;
import dev.colo.guest.kv.internal.order.Follower;
import dev.colo.guest.kv.internal.order.OrderCodec;
import dev.colo.guest.kv.internal.order.OrderEntry;
import dev.colo.guest.kv.internal.resp.Resp;
import dev.colo.guest.kv.internal.resp.RespException;
import dev.colo.guest.kv.internal.resp.RespReader;
import dev.colo.guest.kv.internal.store.ClientReplies;
import dev.colo.guest.kv.internal.store.KvStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
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
 *
 * <p>A connection from the pair's proxy to a guest that follows an order starts with a {@link ConnectionHeader}
 * naming it. While the store does not lead (the secondary), such a connection's commands go to the
 * {@link Follower}, which runs them in the primary's order; any other connection's run as they are read.
 */
public final class KvServer implements AutoCloseable {
    private static final AttributeKey READER = new AttributeKey(KvServer.class, "reader");
    private static final AttributeKey REPLIES = new AttributeKey(KvServer.class, "replies");
    /** The first bytes of a connection, until they are known to be a {@link ConnectionHeader} or not. */
    private static final AttributeKey PREAMBLE = new AttributeKey(KvServer.class, "preamble");
    /** Bytes of output handed to the connection so far (an AtomicLong). */
    private static final AttributeKey OUTPUT = new AttributeKey(KvServer.class, "output");
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
    /** Null when the guest neither leads nor follows an order. */
    private final Follower<ClientReplies> follower;
    /**
     * Where the follower runs what the order, a resume or a timeout lets run: never the peer link's thread that
     * delivers the order, nor a checkpoint's (a command may wait, as DEBUG SLEEP or a full commit queue do).
     */
    private final ExecutorService followThread;
    private volatile Consumer<String> giveUpListener = why -> { };

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
        this.follower = options.ordering() ? new Follower(new Follow(), this::gaveUp, options.orderTimeoutMillis())
                : null;
        this.followThread = options.ordering() ? Executors.newSingleThreadExecutor(Threads.named("colo-guest-" + name
                + "-follow-", (thread, error) -> owner.failed(this, "its follower " + thread.getName() + " died: "
                        + error))) : null;
    }

    /** The secondary's follower, or empty when ordering is off. */
    public Optional<Follower<ClientReplies>> follower() {
        return Optional.ofNullable(follower);
    }

    /** Commands run as they arrive from now on (a primary; a state of a primary that did not lead). */
    public void unordered() {
        if (follower != null) {
            follower.unordered(); // now, in order with a state loaded after it
            following(() -> follower.poke(System.nanoTime()));
        }
    }

    /** Told each time the follower gives up. */
    public void onGiveUp(Consumer<String> listener) {
        giveUpListener = listener == null ? why -> { } : listener;
    }

    /**
     * Called while paused: the bytes of output handed to each connection named by a header, when they mark where
     * the output of the state this node holds ends: a primary that leads, a secondary that follows (the state it
     * loaded says which commands it holds, and those it holds are never run here after the load). Empty otherwise.
     */
    public Optional<Map<Long, Long>> outputMarks() {
        if (follower == null || !(store.leading() || follower.following())) {
            return Optional.empty();
        }
        Map<Long, Long> marks = new HashMap<>();
        for (IoSession session : acceptor.getManagedSessions().values()) {
            ClientReplies replies = (ClientReplies) session.getAttribute(REPLIES);
            AtomicLong output = (AtomicLong) session.getAttribute(OUTPUT);
            if (replies != null && replies.connection() >= 0 && output != null) {
                marks.put(replies.connection(), output.get());
            }
        }
        return Optional.of(marks);
    }

    /** The primary's next message of the order (the secondary). */
    public void follow(ByteBuffer order) {
        if (follower == null) {
            return;
        }
        int bytes = order.remaining();
        long generation = follower.generation(); // at receipt: a state loaded meanwhile makes this message old
        try {
            List<OrderEntry> entries = OrderCodec.decode(order);
            following(() -> follower.order(entries, bytes, generation, System.nanoTime()));
        } catch (OrderCodec.OrderFormatException e) {
            following(() -> {
                follower.unordered();
                gaveUp("the primary's execution order does not parse: " + e.getMessage());
                follower.poke(System.nanoTime());
            });
        }
    }

    /** Runs {@code step} of the follower on its thread (nothing once the server closed). */
    private void following(Runnable step) {
        try {
            followThread.execute(step);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            logger.debug("Guest {}: closed, the follower's step is dropped", name);
        }
    }

    private void gaveUp(String why) {
        logger.warn("Guest {}: stops following the primary's execution order until the next checkpoint: {}", name, why);
        giveUpListener.accept(why);
    }

    /** Runs the follower's commands, each under the gate like any other. */
    private final class Follow implements Follower.Executor<ClientReplies> {
        @Override
        public boolean execute(ClientReplies replies, List<byte[]> command, long clockMicros) {
            if (!gate.tryEnter()) {
                return false; // paused: it runs at the resume's poke
            }
            try {
                run(null, replies, command, clockMicros);
            } catch (InterruptedException e) {
                gate.exit(); // not run: the compare catches the difference
                Thread.currentThread().interrupt();
            }
            return true;
        }
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
        if (follower != null) {
            following(() -> follower.poke(System.nanoTime())); // what waited for the pause to end
        }
    }

    /**
     * The watchdog's look (from one thread, at intervals well below the timeout): what is wrong if commands have
     * been in progress with none completing for the timeout. Commands waiting while a checkpoint holds the guest
     * paused are not in progress.
     */
    public Optional<String> hang(long nowNanos) {
        if (follower != null) {
            following(() -> follower.check(nowNanos)); // an ordered command that does not come ends following
        }
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
        if (followThread != null) {
            followThread.shutdown();
        }
        store.close(); // after the connections: what it still writes is answered to no one, and nothing after it
    }

    /**
     * Runs one command that entered the gate ({@code session} null: one the follower runs, whose connection may be
     * gone); returns false when the guest failed with it.
     */
    private boolean run(IoSession session, ClientReplies replies, List<byte[]> command, long clockMicros)
            throws InterruptedException {
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
                store.submit(replies, command, clockMicros); // answered through the replies' sink, now or later
            }
            return true;
        } catch (VirtualMachineError error) {
            // kept from MINA, whose I/O thread would die of it and leave its connections unanswered; a store that
            // failed with it may leave its command in the gate: the guest restarts, a new server and gate
            if (session != null) {
                session.closeNow();
            }
            owner.failed(KvServer.this, "a command failed with " + error);
            return false;
        }
    }

    private final class Handler extends IoHandlerAdapter {
        @Override
        public void sessionOpened(IoSession session) {
            session.setAttribute(READER, new RespReader(options.maxBulkBytes(), options.budget()));
            session.setAttribute(PREAMBLE, ByteBuffer.allocate(ConnectionHeader.MAX_LENGTH));
            session.setAttribute(OUTPUT, new AtomicLong());
        }

        @Override
        public void sessionClosed(IoSession session) {
            RespReader reader = (RespReader) session.getAttribute(READER);
            if (reader != null) {
                reader.close();
            }
            ClientReplies replies = (ClientReplies) session.getAttribute(REPLIES);
            if (replies != null && replies.connection() >= 0) {
                store.disconnected(replies);
                if (follower != null) {
                    follower.ended(replies.connection(), System.nanoTime());
                }
            }
        }

        /** The connection's replies, once its first bytes told whether a header names it; null until then. */
        private ClientReplies replies(IoSession session, ByteBuffer[] input) {
            ClientReplies replies = (ClientReplies) session.getAttribute(REPLIES);
            if (replies != null) {
                return replies;
            }
            ByteBuffer preamble = (ByteBuffer) session.getAttribute(PREAMBLE);
            ByteBuffer in = input[0];
            long connection = -1;
            if (preamble.position() > 0 || ConnectionHeader.mayStart(in)) {
                int take = Math.min(preamble.remaining(), in.remaining());
                preamble.put(in.slice().limit(take));
                in.position(in.position() + take);
                ByteBuffer header = preamble.duplicate().flip();
                if (ConnectionHeader.mayStart(header)) {
                    Optional<ConnectionHeader> read = ConnectionHeader.read(header); // throws when it is not one
                    if (read.isEmpty()) {
                        return null;
                    }
                    connection = read.get().connection();
                } // else a client's bytes after all (an empty line first, say): all of them are its input
                ByteBuffer rest = ByteBuffer.allocate(header.remaining() + in.remaining());
                input[0] = rest.put(header).put(in).flip();
            }
            session.removeAttribute(PREAMBLE);
            AtomicLong output = (AtomicLong) session.getAttribute(OUTPUT);
            replies = store.client(connection, reply -> {
                output.addAndGet(reply.length);
                session.write(IoBuffer.wrap(reply));
                gate.exit();
            });
            session.setAttribute(REPLIES, replies);
            return replies;
        }

        @Override
        public void messageReceived(IoSession session, Object message) throws InterruptedException {
            RespReader reader = (RespReader) session.getAttribute(READER);
            ByteBuffer[] input = {((IoBuffer) message).buf()};
            ClientReplies replies;
            try {
                replies = replies(session, input);
                if (replies == null) {
                    return;
                }
                reader.feed(input[0]);
            } catch (RespException | IllegalArgumentException e) {
                refuse(session, e);
                return;
            }
            boolean ordered = replies.connection() >= 0 && follower != null && !store.leading();
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
                if (ordered) {
                    follower.command(replies.connection(), replies, command, System.nanoTime()); // in its turn
                    continue;
                }
                if (!gate.enter()) {
                    session.closeNow(); // the guest stops: nothing more runs, nothing more is said
                    return;
                }
                if (!run(session, replies, command, 0)) {
                    return;
                }
            }
        }
        /** Answers a protocol error (what Redis says) and closes: the rest of the stream cannot be trusted. */
        private void refuse(IoSession session, Exception e) {
            byte[] error = Resp.error("ERR Protocol error: " + e.getMessage());
            ((AtomicLong) session.getAttribute(OUTPUT)).addAndGet(error.length);
            session.write(IoBuffer.wrap(error));
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
