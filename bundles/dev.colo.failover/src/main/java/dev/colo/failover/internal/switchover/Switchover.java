package dev.colo.failover.internal.switchover;

import dev.colo.api.Role;
import dev.colo.api.checkpoint.CheckpointOutcome;
import dev.colo.api.checkpoint.CheckpointReason;
import dev.colo.api.checkpoint.CheckpointRequests;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary's side of a planned switchover, free of OSGi and network: a final checkpoint that leaves its guests
 * paused (nothing more is acknowledged here), the secondary's confirmation that it holds exactly that checkpoint,
 * then this node demotes itself while the secondary promotes. If the secondary refuses or does not answer, the
 * guests resume and protection restarts with a full checkpoint. A hand-over ({@link #handOver}) is the same exchange
 * without the checkpoint, for a primary that cannot serve; it waits a little for protection that is not there yet.
 * One switchover or hand-over at a time.
 */
public final class Switchover {
    private static final Logger logger = LoggerFactory.getLogger(Switchover.class);

    /** What the switchover needs of this node. */
    public interface Node {
        Role role();

        /** Where the checkpoint coordinator is while the pair is protected (none while it is not). */
        ProtectedPair protectedPair();

        boolean peerAlive();

        /** Sends to the peer's failover controller; fails when the link is down. */
        CompletableFuture<Void> send(SwitchoverMessage message);

        /** This node becomes the secondary (everything that depends on the role restarts so). */
        void demote() throws Exception;
    }

    private final Node node;
    private final Duration checkpointTimeout;
    private final Duration answerTimeout;
    private final Duration protectionWait;
    private final AtomicReference<CompletableFuture<SwitchoverMessage>> answer = new AtomicReference<>();

    /**
     * @param protectionWait how long a hand-over waits for protection that is not there yet (a full checkpoint in
     *     flight, for a component that failed again just after it restarted)
     */
    public Switchover(Node node, Duration checkpointTimeout, Duration answerTimeout, Duration protectionWait) {
        this.node = node;
        this.checkpointTimeout = checkpointTimeout;
        this.answerTimeout = answerTimeout;
        this.protectionWait = protectionWait;
    }

    /** Runs a switchover on this primary; returns what was done or why not. Blocks until its part is over. */
    public String run(String peerName) throws InterruptedException {
        if (node.role() != Role.PRIMARY) {
            return "refused: this node is " + (node.role() == null ? "not configured" : "the "
                    + node.role().configValue()) + "; a switchover is asked of the primary";
        }
        CheckpointRequests coordinator = node.protectedPair().now();
        if (coordinator == null || !node.peerAlive()) {
            return "refused: the pair is not protected (" + (node.peerAlive() ? "no completed checkpoint yet"
                    : "the secondary is not ALIVE") + "): a switchover needs a secondary that holds this node's "
                    + "state; wait for protection, or fail over";
        }
        CompletableFuture<SwitchoverMessage> awaited = new CompletableFuture<>();
        if (!answer.compareAndSet(null, awaited)) {
            return "refused: a switchover is already under way";
        }
        try {
            CheckpointOutcome last = outcome(coordinator);
            if (!last.completed()) {
                return "refused: the final checkpoint did not complete (" + last.detail() + "); nothing changed";
            }
            logger.warn("Switchover: checkpoint {} completed, this primary's guests stay paused; asking {} to take "
                    + "over", last.epoch(), peerName);
            String refusal = askPeer(new SwitchoverMessage(SwitchoverMessage.Kind.REQUEST, last.epoch(), ""), awaited);
            if (refusal != null) {
                coordinator.resumeAfterHandOver(refusal);
                return "refused: " + refusal + "; this node stays the primary (re-protecting with a full checkpoint)";
            }
            String failed = demote(peerName);
            if (failed != null) {
                return failed;
            }
            logger.warn("Switchover: this node is the secondary; {} takes over from checkpoint {}", peerName,
                    last.epoch());
            return "switched over to " + peerName + " at epoch " + last.epoch();
        } finally {
            answer.set(null);
        }
    }

    /**
     * Hands the primary role to the secondary because {@code problem} leaves this node unable to serve: no final
     * checkpoint (the failed component has nothing to give), the secondary takes over with the state it ran, as in
     * a failover, once it confirmed it holds this node's state. Returns what was done or why not; blocks until its
     * part is over.
     */
    public String handOver(String peerName, String problem) throws InterruptedException {
        if (node.role() != Role.PRIMARY) {
            return "refused: this node is not the primary";
        }
        if (!node.peerAlive()) {
            return "refused: the pair is not protected (the secondary is not ALIVE): no secondary holds this node's "
                    + "state";
        }
        if (node.protectedPair().await(protectionWait) == null || !node.peerAlive()) {
            return "refused: the pair is not protected (" + (node.peerAlive() ? "no completed checkpoint within "
                    + protectionWait.toMillis() + " ms" : "the secondary is not ALIVE")
                    + "): no secondary holds this node's state";
        }
        CompletableFuture<SwitchoverMessage> awaited = new CompletableFuture<>();
        if (!answer.compareAndSet(null, awaited)) {
            return "refused: a switchover or hand-over is already under way";
        }
        try {
            logger.error("Hand-over: {}; asking {} to take over", problem, peerName);
            String refusal = askPeer(new SwitchoverMessage(SwitchoverMessage.Kind.HAND_OVER, 0, problem), awaited);
            if (refusal != null) {
                return "refused: " + refusal + "; this node stays the primary";
            }
            String failed = demote(peerName);
            if (failed != null) {
                return failed;
            }
            logger.warn("Hand-over: this node is the secondary; {} takes over", peerName);
            return "handed over to " + peerName;
        } finally {
            answer.set(null);
        }
    }

    /** Null when this node is the secondary now; otherwise what failed. */
    private String demote(String peerName) {
        try {
            node.demote();
            return null;
        } catch (Exception e) {
            // the secondary is promoting: this node must not serve again
            logger.error("Demoting this node failed ({}); its guests stay paused", e.toString());
            return "failed: " + peerName + " takes over, but this node could not become the secondary: " + e;
        }
    }

    /** The secondary's answer to a request (ignored when none is awaited). */
    public void onAnswer(SwitchoverMessage message) {
        CompletableFuture<SwitchoverMessage> awaited = answer.get();
        if (awaited != null) {
            awaited.complete(message);
        }
    }

    private CheckpointOutcome outcome(CheckpointRequests coordinator) throws InterruptedException {
        try {
            return coordinator.request(CheckpointReason.SWITCHOVER, "switchover")
                    .get(checkpointTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return new CheckpointOutcome(-1, false, e.getCause().toString());
        } catch (TimeoutException e) {
            // if it completes later, its paused guests must not stay so
            coordinator.resumeAfterHandOver("the final checkpoint took longer than " + checkpointTimeout.toMillis()
                    + " ms");
            return new CheckpointOutcome(-1, false, "not within " + checkpointTimeout.toMillis() + " ms");
        }
    }

    /** Null when the secondary accepted; otherwise why not. */
    private String askPeer(SwitchoverMessage request, CompletableFuture<SwitchoverMessage> awaited)
            throws InterruptedException {
        try {
            node.send(request).get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
            SwitchoverMessage reply = awaited.get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (reply.kind() == SwitchoverMessage.Kind.ACCEPTED && reply.epoch() == request.epoch()) {
                return null;
            }
            return "the secondary refused: " + (reply.detail().isEmpty() ? reply.kind() + " for epoch "
                    + reply.epoch() : reply.detail());
        } catch (ExecutionException e) {
            return "the request could not be sent (" + e.getCause().getMessage() + ")";
        } catch (TimeoutException e) {
            return "the secondary did not answer within " + answerTimeout.toMillis() + " ms";
        }
    }
}
