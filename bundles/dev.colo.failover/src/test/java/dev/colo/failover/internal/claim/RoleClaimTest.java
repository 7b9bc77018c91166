package dev.colo.failover.internal.claim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.colo.api.Role;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RoleClaimTest {
    @Test
    void ofTwoPrimariesTheOnePromotedEarlierStepsDown() {
        RoleClaim returning = new RoleClaim(Role.PRIMARY, 1000);
        RoleClaim survivor = new RoleClaim(Role.PRIMARY, 2000);
        assertEquals(RoleClaim.Verdict.STEP_DOWN, returning.settle(survivor));
        assertEquals(RoleClaim.Verdict.STAY, survivor.settle(returning));
        assertEquals(RoleClaim.Verdict.STEP_DOWN, new RoleClaim(Role.PRIMARY, 0).settle(survivor),
                "never promoted: the configured primary of before the failover");
        assertEquals(RoleClaim.Verdict.UNDECIDABLE, new RoleClaim(Role.PRIMARY, 0).settle(new RoleClaim(Role.PRIMARY, 0)));
        assertEquals(RoleClaim.Verdict.NONE, survivor.settle(new RoleClaim(Role.SECONDARY, 0)));
        assertEquals(RoleClaim.Verdict.NONE, new RoleClaim(Role.SECONDARY, 0).settle(survivor));
    }

    @Test
    void claimsSurviveTheWireAndMalformedOnesAreErrors() throws IOException {
        RoleClaim claim = new RoleClaim(Role.PRIMARY, 1_764_000_000_000L);
        assertEquals(claim, RoleClaim.decode(claim.encode()));
        byte[] payload = claim.encode();
        for (int length = 0; length < payload.length; length++) {
            byte[] truncated = Arrays.copyOf(payload, length);
            assertThrows(IOException.class, () -> RoleClaim.decode(truncated));
        }
        assertThrows(IOException.class, () -> RoleClaim.decode(Arrays.copyOf(payload, payload.length + 1)));
        assertThrows(IOException.class, () -> RoleClaim.decode(new byte[1000]));
    }
}
