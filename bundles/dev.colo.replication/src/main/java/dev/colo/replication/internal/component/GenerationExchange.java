package dev.colo.replication.internal.component;

import dev.colo.api.transport.LinkChannel;
import dev.colo.api.transport.PeerLink;
import dev.colo.api.transport.PeerMessage;
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
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Both ends of the generation exchange over the peer link: it answers the peer's questions about this
 * node's disks, and gives each local primary disk a {@link PeerGenerations} that asks the peer. Messages
 * come through the {@link GenerationListener} (see there why it is a component of its own). Requests are
 * answered on a thread of their own (adopting writes a file).
 */
@Component(service = GenerationExchange.class)
public final class GenerationExchange {
    private static final Logger logger = LoggerFactory.getLogger(GenerationExchange.class);

    private final Map<String, ReplicatedDisk> disks = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<GenerationMessage>> pending = new ConcurrentHashMap<>();
    private final AtomicLong requestIds = new AtomicLong();
    private final ExecutorService answering = Executors.newSingleThreadExecutor(Threads.named("colo-replication-generations-"));

    private final PeerLink link;
    private final GenerationListener listener;
    private final Consumer<PeerMessage> handler = this::onPeerMessage;

    @Activate
    public GenerationExchange(@Reference PeerLink link, @Reference GenerationListener listener) {
        this.link = link;
        this.listener = listener;
        listener.attach(handler);
    }

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
                return ask(new GenerationMessage(0, disk, 0, 0, ""), GenerationMessage.QUERY, timeout).generation();
            }

            @Override
            public void adopt(long expected, long current) throws IOException {
                ask(new GenerationMessage(0, disk, current, expected, ""), GenerationMessage.ADOPT, timeout);
            }
        };
    }

    void onPeerMessage(PeerMessage message) {
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
        listener.detach(handler);
        answering.shutdownNow();
        pending.values().forEach(waiting -> waiting.completeExceptionally(new IOException("stopping")));
    }

    private void answer(String type, GenerationMessage request) {
        long generation = 0;
        String error = "";
        ReplicatedDisk disk = disks.get(request.disk());
        String heldFor = disk == null ? "" : disk.heldFor();
        try {
            if (disk == null) {
                error = "no disk " + request.disk() + " on this node";
            } else if (!heldFor.isEmpty()) {
                error = "disk " + request.disk() + " holds data of its own for an operator (" + heldFor
                        + "): no resynchronisation until the split brain is resolved";
            } else if (GenerationMessage.ADOPT.equals(type)) {
                disk.adoptGeneration(request.expected(), request.generation());
                generation = request.generation();
            } else {
                generation = disk.currentGeneration();
            }
        } catch (IOException | IllegalStateException e) {
            error = e.getMessage();
        }
        send(GenerationMessage.REPLY, new GenerationMessage(request.requestId(), "", generation, 0, error));
    }

    private GenerationMessage ask(GenerationMessage request, String type, Duration timeout) throws IOException {
        long id = requestIds.incrementAndGet();
        String disk = request.disk();
        CompletableFuture<GenerationMessage> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            send(type, new GenerationMessage(id, disk, request.generation(), request.expected(), ""))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
        return link.send(LinkChannel.CONTROL, type, message.encode());
    }
}
