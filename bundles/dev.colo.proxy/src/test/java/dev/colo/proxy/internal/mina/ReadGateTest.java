package dev.colo.proxy.internal.mina;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.mina.core.session.DummySession;
import org.junit.jupiter.api.Test;

class ReadGateTest {
    @Test
    void shouldReadAgainOnlyOnceEveryReasonIsGone() {
        DummySession session = new DummySession();
        ReadGate gate = ReadGate.of(session);
        gate.close(ReadGate.Reason.CLIENT_NOT_READING);
        gate.close(ReadGate.Reason.PEER_LINK);
        assertTrue(session.isReadSuspended());
        gate.open(ReadGate.Reason.PEER_LINK);
        assertTrue(session.isReadSuspended(), "the peer link drained, but the client still does not read");
        gate.open(ReadGate.Reason.PEER_LINK);
        assertTrue(session.isReadSuspended(), "opening twice for one reason does not open another");
        gate.open(ReadGate.Reason.CLIENT_NOT_READING);
        assertFalse(session.isReadSuspended());
        assertTrue(ReadGate.of(session) == gate, "one gate per session");
    }
}
