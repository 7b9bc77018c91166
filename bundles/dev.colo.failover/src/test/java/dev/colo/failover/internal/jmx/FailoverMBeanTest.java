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
    private final AtomicBoolean holdsPrimaryState = new AtomicBoolean();
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
    }, holdsPrimaryState::get, FailoverMBean.notifications());

    @AfterEach
    void close() {
        controller.close();
    }

    @Test
    void aStaleSecondaryRefusesAnOperatorsFailoverSayingWhyAndWhatToDo() {
        String answer = mbean.failover();
        assertTrue(answer.startsWith("refused: this node does not hold the primary's state"), answer);
        assertTrue(answer.contains("forceFailover"), answer);
        assertFalse(mbean.isHoldsPrimaryState());
        assertEquals("NONE", mbean.getState(), "nothing started");
    }

    @Test
    void aSecondaryHoldingThePrimarysStateFailsOverWhenAsked() {
        holdsPrimaryState.set(true);
        assertEquals("requested", mbean.failover());
    }

    @Test
    void forceFailoverTakesOverWithoutThePrimarysState() {
        assertEquals("requested", mbean.forceFailover());
        assertTrue(mbean.getLastFailover().reason().contains("WITHOUT the primary's state"),
                mbean.getLastFailover().reason());
    }
}
