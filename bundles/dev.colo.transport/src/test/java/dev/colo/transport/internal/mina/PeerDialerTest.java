package dev.colo.transport.internal.mina;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import org.junit.jupiter.api.Test;

class PeerDialerTest {
    @Test
    void shouldTakeOnlyAResetAsARefusal() {
        assertTrue(PeerDialer.isRefusal(new ConnectException("Connection refused")));
        assertFalse(PeerDialer.isRefusal(new ConnectException("Connection timed out.")), "MINA's connect timeout");
        assertFalse(PeerDialer.isRefusal(new NoRouteToHostException("No route to host")));
        assertFalse(PeerDialer.isRefusal(new IOException("Connection refused")));
        assertFalse(PeerDialer.isRefusal(null));
    }
}
