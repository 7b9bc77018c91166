package dev.colo.replication.internal.component;

import dev.colo.api.transport.LinkChannel;
import dev.colo.api.transport.PeerLink;
import dev.colo.api.transport.PeerMessage;
import dev.colo.api.transport.PeerMessageListener;
import dev.colo.api.util.Threads;
import dev.colo.replication.internal.disk.ReplicatedDisk;
import dev.colo.replication.internal.generation.GenerationMessage;
import dev.colo.replication.internal.generation.PeerGenerations;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Both ends of the generation exchange over the peer link: it answers the peer's questions about this
 * node's disks, and gives each local primary disk a {@link PeerGenerations} that asks the peer. The link is
 * an optional dynamic reference: the link binds this listener while it activates, so a mandatory one would
 * be a service cycle. Requests are answered on a thread of their own (adopting writes a file).
 */
@Component(service = {GenerationExchange.class, PeerMessageListener.class},
        property = {PeerMessageListener.TYPE_PROPERTY + "=" + GenerationMessage.QUERY,
            PeerMessageListener.TYPE_PROPERTY + "=" + GenerationMessage.ADOPT,
            PeerMessageListener.TYPE_PROPERTY + "=" + GenerationMessage.REPLY})
public final class GenerationExchange implements PeerMessageListener {
    private static final Logger logger = LoggerFactory.getLogger(GenerationExchange.class);

    private final Map<String, ReplicatedDisk> disks = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<GenerationMessage>> pending = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong();
    private final ExecutorService answering = Executors.newSingleThreadExecutor(Threads.named("colo-replication-generations-"));

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile PeerLink link;

    void register(ReplicatedDisk disk) {
        disks.put(disk.name(), disk);
    }

    void unregister(ReplicatedDisk disk) {
        disks.remove(disk.name(), disk);
    }

    /** The peer's side of {@code disk}, each question waiting at most {@code timeout} for its answer. */
    PeerGenerations peerOf(String disk, Duration timeout) {
        return new PeerGenerations() {
            @Override
            public long peerCurrent() throws IOException {
                return ask(GenerationMessage.QUERY, disk, 0, timeout).generation();
            }

            @Override
            public void adopt(long current) throws IOException {
                ask(GenerationMessage.ADOPT, disk, current, timeout);
            }
        };
    }

    @Override
    public void onPeerMessage(PeerMessage message) {
        GenerationMessage decoded;
        try {
            decoded = GenerationMessage.decode(message.payload());
        } catch (IOException e) {
            logger.warn("Ignoring a malformed {} from {}: {}", message.type(), message.from(), e.getMessage());
            return;
        }
        if (GenerationMessage.REPLY.equals(message.type())) {
            CompletableFuture<GenerationMessage> waiting = pending.remove(decoded.requestId());
            if (waiting != null) {
                waiting.complete(decoded);
            }
            return;
        }
        answering.execute(() -> answer(message.type(), decoded));
    }

    @Deactivate
    void deactivate() {
        answering.shutdownNow();
        pending.values().forEach(waiting -> waiting.completeExceptionally(new IOException("stopping")));
    }

    private void answer(String type, GenerationMessage request) {
        long generation = 0;
        String error = "";
        ReplicatedDisk disk = disks.get(request.disk());
        try {
            if (disk == null) {
                error = "no disk " + request.disk() + " on this node";
            } else if (GenerationMessage.ADOPT.equals(type)) {
                disk.adoptGeneration(request.generation());
                generation = request.generation();
            } else {
                generation = disk.currentGeneration();
            }
        } catch (IOException | IllegalStateException e) {
            error = e.getMessage();
        }
        send(GenerationMessage.REPLY, new GenerationMessage(request.requestId(), "", generation, error));
    }

    private GenerationMessage ask(String type, String disk, long generation, Duration timeout) throws IOException {
        long id = requestIds.incrementAndGet();
        CompletableFuture<GenerationMessage> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            send(type, new GenerationMessage(id, disk, generation, "")).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            GenerationMessage answer = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!answer.error().isEmpty()) {
                throw new IOException("the peer refused " + type + " for disk " + disk + ": " + answer.error());
            }
            return answer;
        } catch (ExecutionException e) {
            throw new IOException(type + " for disk " + disk + " not sent: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no answer to " + type + " for disk " + disk + " within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            pending.remove(id);
        }
    }

    private CompletableFuture<Void> send(String type, GenerationMessage message) {
        PeerLink current = link;
        if (current == null) {
            return CompletableFuture.failedFuture(new IOException("no peer link"));
        }
        return current.send(LinkChannel.CONTROL, type, message.encode());
    }
}
