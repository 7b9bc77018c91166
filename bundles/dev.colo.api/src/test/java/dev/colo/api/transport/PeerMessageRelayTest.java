package dev.colo.api.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.colo.api.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class PeerMessageRelayTest {

    @Test
    void shouldHandMessagesToTheAttachedReceiverOnlyWhileAttached() {
        PeerMessageRelay relay = new PeerMessageRelay() { };
        PeerMessage message = new PeerMessage(new NodeId("colo-b"), LinkChannel.CONTROL, "t", new byte[0]);
        List<PeerMessage> received = new ArrayList<>();
        Consumer<PeerMessage> receiver = received::add;
        relay.onPeerMessage(message); // nothing attached: dropped
        relay.attach(receiver);
        relay.onPeerMessage(message);
        relay.detach(other -> { }); // not the attached one: no effect
        relay.onPeerMessage(message);
        relay.detach(receiver);
        relay.onPeerMessage(message);
        assertEquals(2, received.size());
    }
}
