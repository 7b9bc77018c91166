package dev.colo.guest.kv.internal.server;

import dev.colo.api.util.Threads;
import dev.colo.guest.kv.internal.resp.Resp;
import dev.colo.guest.kv.internal.resp.RespException;
import dev.colo.guest.kv.internal.resp.RespReader;
import dev.colo.guest.kv.internal.store.KvStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
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
 * The reference guest's network side: RESP2 over TCP, each connection's commands executed in order, each
 * under the {@link PauseGate} so that a checkpoint sees the guest quiescent.
 */
public final class KvServer implements AutoCloseable {
    private static final AttributeKey READER = new AttributeKey(KvServer.class, "reader");
    private static final Logger logger = LoggerFactory.getLogger(KvServer.class);

    private final KvStore store;
    private final PauseGate gate = new PauseGate();
    private final ExecutorService ioExecutor;
    private final NioSocketAcceptor acceptor;

    public KvServer(String name, KvStore store) {
        this.store = store;
        this.ioExecutor = Executors.newCachedThreadPool(Threads.named("colo-guest-" + name + "-io-"));
        this.acceptor = new NioSocketAcceptor(ioExecutor, new org.apache.mina.core.service.SimpleIoProcessorPool<>(
                org.apache.mina.transport.socket.nio.NioProcessor.class, ioExecutor));
        acceptor.setReuseAddress(true);
        acceptor.setBacklog(1024);
        acceptor.getSessionConfig().setTcpNoDelay(true);
        acceptor.setHandler(new Handler());
    }

    /** Listens; returns the bound address (with the real port when 0 was asked for). */
    public InetSocketAddress start(InetSocketAddress address) throws IOException {
        acceptor.bind(address);
        return (InetSocketAddress) acceptor.getLocalAddress();
    }

    public void pause() {
        gate.pause();
    }

    public void resume() {
        gate.resume();
    }

    @Override
    public void close() {
        gate.close(); // first: unbinding waits for the sessions, whose threads may wait for a paused gate
        acceptor.unbind();
        acceptor.getManagedSessions().values().forEach(IoSession::closeNow);
        acceptor.dispose(true);
        ioExecutor.shutdownNow();
    }

    private final class Handler extends IoHandlerAdapter {
        @Override
        public void sessionOpened(IoSession session) {
            session.setAttribute(READER, new RespReader());
        }

        @Override
        public void messageReceived(IoSession session, Object message) throws InterruptedException {
            RespReader reader = (RespReader) session.getAttribute(READER);
            reader.feed(((IoBuffer) message).buf());
            while (true) {
                List<byte[]> command;
                try {
                    command = reader.next();
                } catch (RespException e) {
                    session.write(IoBuffer.wrap(Resp.error("ERR Protocol error: " + e.getMessage())));
                    session.closeOnFlush();
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
                    session.write(IoBuffer.wrap(store.execute(command)));
                } finally {
                    gate.exit();
                }
            }
        }

        @Override
        public void exceptionCaught(IoSession session, Throwable cause) {
            logger.debug("Guest client {}: {}", session.getRemoteAddress(), cause.toString());
            session.closeNow();
        }
    }
}
