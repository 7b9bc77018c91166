package dev.colo.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.colo.transport.internal.frame.FrameKind;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProtocolRulesTest {

    @Test
    void shouldAllowExactlyTheFramesOfEachPhase() {
        assertAllowed(Direction.INBOUND, false, Set.of(FrameKind.HELLO, FrameKind.GOODBYE));
        assertAllowed(Direction.INBOUND, true, Set.of(FrameKind.MESSAGE, FrameKind.GOODBYE));
        assertAllowed(Direction.OUTBOUND, false, Set.of(FrameKind.WELCOME, FrameKind.GOODBYE));
        assertAllowed(Direction.OUTBOUND, true, Set.of(FrameKind.GOODBYE));
    }

    private static void assertAllowed(Direction direction, boolean greeted, Set<FrameKind> allowed) {
        for (FrameKind kind : FrameKind.values()) {
            assertEquals(allowed.contains(kind), ProtocolRules.mayReceive(direction, greeted, kind),
                    direction + (greeted ? " greeted " : " not greeted ") + kind);
        }
    }
}
