package dev.colo.api.management;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairProtectionTest {
    @Test
    void protectedOnlyWhileTheCheckpointsProtectAndEveryServiceListens() {
        assertTrue(PairProtection.isProtected(true, List.of(true, true)));
        assertTrue(PairProtection.isProtected(true, List.of()), "a node without services refuses no client");
        assertFalse(PairProtection.isProtected(true, List.of(true, false)), "a service that refuses clients");
        assertFalse(PairProtection.isProtected(false, List.of(true)), "the checkpoints do not protect");
    }
}
