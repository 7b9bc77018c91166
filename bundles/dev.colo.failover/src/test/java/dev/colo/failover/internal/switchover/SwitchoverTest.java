package dev.colo.failover.internal.switchover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.Role;
import dev.colo.api.checkpoint.CheckpointOutcome;
import dev.colo.api.checkpoint.CheckpointReason;
import dev.colo.api.checkpoint.CheckpointRequests;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The primary's side of a switchover, against a fake coordinator and a fake secondary. */
class SwitchoverTest {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private volatile Role role = Role.PRIMARY;
    private volatile boolean peerAlive = true;
    private volatile CheckpointOutcome finalCheckpoint = new CheckpointOutcome(12, true, "");
    /** What the fake secondary answers to a request; null: nothing. */
    private volatile Function<SwitchoverMessage, SwitchoverMessage> secondary =
            request -> new SwitchoverMessage(SwitchoverMessage.Kind.ACCEPTED, request.epoch(), "");
    private Switchover switchover;
    private final ProtectedPair protectedPair = new ProtectedPair();

    private final CheckpointRequests coordinator = new CheckpointRequests() {
        @Override
        public CompletableFuture<CheckpointOutcome> request(CheckpointReason reason, String detail) {
            events.add("checkpoint " + reason);
            return CompletableFuture.completedFuture(finalCheckpoint);
        }

        @Override
        public void resumeAfterHandOver(String why) {
            events.add("resume: " + why);
        }
    };

    SwitchoverTest() {
        protectedPair.offered(coordinator);
        switchover = new Switchover(new Switchover.Node() {
            @Override
            public Role role() {
                return role;
            }

            @Override
            public ProtectedPair protectedPair() {
                return protectedPair;
            }

            @Override
            public boolean peerAlive() {
                return peerAlive;
            }

            @Override
            public CompletableFuture<Void> send(SwitchoverMessage message) {
                events.add("send " + message.kind() + " " + message.epoch());
                SwitchoverMessage answer = secondary.apply(message);
                if (answer != null) {
                    CompletableFuture.runAsync(() -> switchover.onAnswer(answer));
                }
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void demote() {
                events.add("demote");
                role = Role.SECONDARY;
            }
        }, Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofMillis(500));
    }

    @Test
    void theFinalCheckpointComesFirstThenTheSecondaryConfirmsThenThePrimaryDemotes() throws Exception {
        assertEquals("switched over to colo-b at epoch 12", switchover.run("colo-b"));
        assertEquals(List.of("checkpoint SWITCHOVER", "send REQUEST 12", "demote"), events);
        assertEquals(Role.SECONDARY, role);
    }

    @Test
    void aRefusingSecondaryLeavesThisNodeThePrimaryWithItsGuestsResumed() throws Exception {
        secondary = request -> new SwitchoverMessage(SwitchoverMessage.Kind.REFUSED, request.epoch(),
                "refused: this node loaded epoch 11, not 12");
        String answer = switchover.run("colo-b");
        assertTrue(answer.startsWith("refused: the secondary refused: refused: this node loaded epoch 11"), answer);
        assertEquals(Role.PRIMARY, role);
        assertEquals("resume: the secondary refused: refused: this node loaded epoch 11, not 12", events.get(2));
        assertEquals(3, events.size(), "no demotion: " + events);
    }

    @Test
    void aSilentSecondaryIsARefusal() throws Exception {
        secondary = request -> null;
        String answer = switchover.run("colo-b");
        assertTrue(answer.contains("did not answer within 300 ms"), answer);
        assertTrue(events.get(2).startsWith("resume: "), events.toString());
        assertEquals(Role.PRIMARY, role);
    }

    @Test
    void anAnswerForAnotherEpochIsNoAcceptance() throws Exception {
        secondary = request -> new SwitchoverMessage(SwitchoverMessage.Kind.ACCEPTED, request.epoch() - 1, "");
        assertTrue(switchover.run("colo-b").startsWith("refused"));
        assertEquals(Role.PRIMARY, role);
    }

    @Test
    void nothingHappensWithoutAProtectedPairOrAFailedFinalCheckpoint() throws Exception {
        peerAlive = false;
        assertTrue(switchover.run("colo-b").contains("not protected"));
        assertEquals(List.of(), events);
        peerAlive = true;
        finalCheckpoint = new CheckpointOutcome(12, false, "no ready from the secondary");
        assertTrue(switchover.run("colo-b").contains("the final checkpoint did not complete"));
        assertEquals(List.of("checkpoint SWITCHOVER"), events, "a failed checkpoint resumed its own guests");
        role = Role.SECONDARY;
        assertTrue(switchover.run("colo-b").contains("asked of the primary"));
    }

    @Test
    void messagesSurviveTheWireAndMalformedOnesAreErrors() throws IOException {
        SwitchoverMessage message = new SwitchoverMessage(SwitchoverMessage.Kind.REFUSED, 12, "why");
        assertEquals(message, SwitchoverMessage.decode(message.encode()));
        byte[] payload = message.encode();
        for (int length = 0; length < payload.length; length++) {
            byte[] truncated = Arrays.copyOf(payload, length);
            assertThrows(IOException.class, () -> SwitchoverMessage.decode(truncated));
        }
        byte[] unknownKind = payload.clone();
        unknownKind[1] = 9;
        assertTrue(assertThrows(IOException.class, () -> SwitchoverMessage.decode(unknownKind)).getMessage()
                .contains("unknown kind 9"));
        byte[] otherVersion = payload.clone();
        otherVersion[0] = 2;
        assertThrows(IOException.class, () -> SwitchoverMessage.decode(otherVersion));
        assertThrows(IOException.class, () -> SwitchoverMessage.decode(new byte[5000]));
    }

    @Test
    void aHandOverTakesNoCheckpointTheSecondaryConfirmsThenThePrimaryDemotes() throws Exception {
        String outcome = switchover.handOver("node-b", "guest kv cannot serve: hung");

        assertEquals("handed over to node-b", outcome);
        assertEquals(List.of("send HAND_OVER 0", "demote"), events, "no final checkpoint: the guest has failed");
        assertEquals(Role.SECONDARY, role);
    }

    @Test
    void aRefusedHandOverLeavesThePrimaryAsItIs() throws Exception {
        secondary = request -> new SwitchoverMessage(SwitchoverMessage.Kind.REFUSED, request.epoch(),
                "this node does not hold the primary's state (the link was lost)");

        String outcome = switchover.handOver("node-b", "proxy redis cannot serve: hung");

        assertTrue(outcome.startsWith("refused: the secondary refused: this node does not hold"), outcome);
        assertEquals(List.of("send HAND_OVER 0"), events, "not demoted, nothing resumed: nothing was paused");
        assertEquals(Role.PRIMARY, role);
    }

    @Test
    void aHandOverWaitsForProtectionAnnouncedJustAfterTheFailure() throws Exception {
        protectedPair.withdrawn(coordinator);
        CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS).execute(() -> protectedPair.offered(coordinator));

        assertEquals("handed over to node-b", switchover.handOver("node-b", "guest kv cannot serve: failed"));
        assertEquals(List.of("send HAND_OVER 0", "demote"), events);
    }

    @Test
    void aHandOverWithoutProtectionIsRefusedAfterItsWait() throws Exception {
        protectedPair.withdrawn(coordinator);

        String outcome = switchover.handOver("node-b", "guest kv cannot serve: failed");

        assertEquals("refused: the pair is not protected (no completed checkpoint within 500 ms): no secondary "
                + "holds this node's state", outcome);
        assertEquals(List.of(), events, "nothing asked of the secondary");
        assertEquals(Role.PRIMARY, role);
    }

    @Test
    void noHandOverWithoutALiveSecondaryOrOnASecondary() throws Exception {
        peerAlive = false;
        assertTrue(switchover.handOver("node-b", "hung").contains("the secondary is not ALIVE"));
        peerAlive = true;
        role = Role.SECONDARY;
        assertEquals("refused: this node is not the primary", switchover.handOver("node-b", "hung"));
        assertEquals(List.of(), events);
    }

    @Test
    void theHandOverRequestTravelsWithItsKindAndWhy() throws IOException {
        SwitchoverMessage request = new SwitchoverMessage(SwitchoverMessage.Kind.HAND_OVER, 0, "guest kv: hung");
        assertEquals(request, SwitchoverMessage.decode(request.encode()));
        byte[] encoded = request.encode();
        assertEquals(4, encoded[1], "the kind's explicit value");
    }
}
