package dev.colo.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.api.NodeId;
import dev.colo.api.transport.LinkChannel;
import dev.colo.api.transport.LinkState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkStatusTest {
    private static final NodeId PEER = new NodeId("colo-b");

    private final List<String> changes = new ArrayList<>();
    private final LinkStatus status = new LinkStatus(
            (previous, current, reason) -> changes.add(previous + "->" + current + " " + reason));

    @Test
    void shouldBeConnectedOnlyWithAllFourConnections() {
        assertEquals(LinkState.DISCONNECTED, status.state());
        up(Direction.OUTBOUND, LinkChannel.CONTROL, "c1");
        up(Direction.OUTBOUND, LinkChannel.BULK, "c2");
        up(Direction.INBOUND, LinkChannel.CONTROL, "c3");
        assertEquals(LinkState.CONNECTING, status.state());
        up(Direction.INBOUND, LinkChannel.BULK, "c4");
        assertEquals(LinkState.CONNECTED, status.state());
        assertEquals(List.of("DISCONNECTED->CONNECTING c1", "CONNECTING->CONNECTED c4"), changes);
        assertEquals(PEER, status.peer());
    }

    @Test
    void shouldGoBackThroughConnectingToDisconnected() {
        up(Direction.OUTBOUND, LinkChannel.CONTROL, "c1");
        up(Direction.INBOUND, LinkChannel.CONTROL, "c2");
        status.connectionDown(Direction.OUTBOUND, LinkChannel.CONTROL, "c1", "c1 closed");
        assertEquals(LinkState.CONNECTING, status.state());
        status.connectionDown(Direction.INBOUND, LinkChannel.CONTROL, "c2", "c2 closed");
        assertEquals(LinkState.DISCONNECTED, status.state());
        assertEquals("CONNECTING->DISCONNECTED c2 closed", changes.get(changes.size() - 1));
    }

    @Test
    void shouldReplaceOlderConnectionAndIgnoreItsLaterClose() {
        up(Direction.INBOUND, LinkChannel.BULK, "old");
        assertSame("old", status.connectionUp(Direction.INBOUND, LinkChannel.BULK, "new", PEER, "new"));
        status.connectionDown(Direction.INBOUND, LinkChannel.BULK, "old", "old closed");
        assertTrue(status.isUp(Direction.INBOUND, LinkChannel.BULK));
        assertEquals(LinkState.CONNECTING, status.state());
    }

    @Test
    void shouldStayClosedAndHandBackLateConnections() {
        up(Direction.OUTBOUND, LinkChannel.CONTROL, "c1");
        assertTrue(status.close("stopped"));
        assertFalse(status.close("again"));
        assertSame("late", status.connectionUp(Direction.INBOUND, LinkChannel.CONTROL, "late", PEER, "late"));
        status.connectionDown(Direction.OUTBOUND, LinkChannel.CONTROL, "c1", "c1 closed");
        assertEquals(LinkState.CLOSED, status.state());
        assertEquals(List.of("DISCONNECTED->CONNECTING c1", "CONNECTING->CLOSED stopped"), changes);
    }

    @Test
    void shouldDeriveStateFromCount() {
        assertEquals(LinkState.DISCONNECTED, LinkStatus.stateFor(0, 4));
        assertEquals(LinkState.CONNECTING, LinkStatus.stateFor(1, 4));
        assertEquals(LinkState.CONNECTING, LinkStatus.stateFor(3, 4));
        assertEquals(LinkState.CONNECTED, LinkStatus.stateFor(4, 4));
    }

    private void up(Direction direction, LinkChannel channel, String connection) {
        assertNull(status.connectionUp(direction, channel, connection, PEER, connection));
    }
}
