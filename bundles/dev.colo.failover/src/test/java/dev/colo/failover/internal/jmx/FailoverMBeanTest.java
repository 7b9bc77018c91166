package dev.colo.failover.internal.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.Role;
import dev.colo.api.management.ReprotectionProgress;
import dev.colo.api.replication.ProtectedDisk;
import dev.colo.failover.internal.config.FailoverSettings;
import dev.colo.failover.internal.controller.FailoverController;
import dev.colo.failover.internal.reprotect.ReprotectionControl;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An operator's failover of a secondary that does not hold the primary's state is refused unless forced. */
class FailoverMBeanTest {
    private volatile String staleReason = "the contact with the primary was lost (it was SUSPECTED) and came back";
    private volatile boolean peerAlive;
    private final AtomicBoolean becamePrimary = new AtomicBoolean();
    private final FailoverController controller = new FailoverController(FailoverSettings.parse(Map.of()),
            new FailoverController.Node() {
                @Override
                public Role role() {
                    return becamePrimary.get() ? Role.PRIMARY : Role.SECONDARY;
                }

                @Override
                public List<ProtectedDisk> disks() {
                    return List.of();
                }

                @Override
                public void becomePrimary() {
                    becamePrimary.set(true);
                }
            }, (command, timeout) -> 0, (previous, current, elapsedMillis, reason) -> { });
    private final FailoverMBean mbean = new FailoverMBean(controller, new ReprotectionControl() {
        @Override
        public ReprotectionProgress progress() {
            return null;
        }

        @Override
        public String reprotect() {
            return "";
        }
    }, new FailoverMBean.Roles() {
        @Override
        public String staleReason() {
            return staleReason;
        }

        @Override
        public boolean peerAlive() {
            return peerAlive;
        }

        @Override
        public String switchover() {
            return "switched over";
        }

        @Override
        public boolean splitBrain() {
            return false;
        }

        @Override
        public String lastRoleConflict() {
            return "";
        }

        @Override
        public String resolveSplitBrain(String keep) {
            return "kept " + keep;
        }
    }, FailoverMBean.notifications());

    @AfterEach
    void close() {
        controller.close();
    }

    @Test
    void aStaleSecondaryRefusesAnOperatorsFailoverSayingWhyAndWhatToDo() {
        String answer = mbean.failover();
        assertTrue(answer.startsWith("refused: this node does not hold the primary's state"), answer);
        assertTrue(answer.contains("forceFailover"), answer);
        assertTrue(answer.contains("(the contact with the primary was lost"), "it says why: " + answer);
        assertFalse(mbean.isHoldsPrimaryState());
        assertEquals(staleReason, mbean.getStaleReason());
        assertEquals("NONE", mbean.getState(), "nothing started");
    }

    @Test
    void aSecondaryHoldingThePrimarysStateFailsOverWhenAsked() {
        staleReason = "";
        assertTrue(mbean.isHoldsPrimaryState());
        assertEquals("requested", mbean.failover());
    }

    @Test
    void anOperatorsFailoverOfALivePairIsRefusedNamingSwitchover() {
        staleReason = "";
        peerAlive = true;
        String answer = mbean.failover();
        assertTrue(answer.startsWith("refused: the primary is alive: use switchover"), answer);
        assertEquals("NONE", mbean.getState(), "nothing started");
        assertEquals("requested", mbean.forceFailover(), "an operator can still insist");
    }

    @Test
    void forceFailoverTakesOverWithoutThePrimarysState() {
        assertEquals("requested", mbean.forceFailover());
        assertTrue(mbean.getLastFailover().reason().contains("WITHOUT the primary's state"),
                mbean.getLastFailover().reason());
    }
}
