package dev.colo.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.colo.api.NodeId;
import dev.colo.api.transport.LinkChannel;
import dev.colo.api.transport.PeerMessage;
import dev.colo.api.transport.PeerMessageListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class MessageDispatcherTest {
    private final MessageDispatcher dispatcher = new MessageDispatcher();

    @Test
    void shouldDeliverOnlyTheTypesEachListenerAskedFor() {
        List<String> all = new CopyOnWriteArrayList<>();
        List<String> heartbeats = new CopyOnWriteArrayList<>();
        List<String> checkpoints = new CopyOnWriteArrayList<>();
        dispatcher.add(message -> all.add(message.type()), Map.of());
        dispatcher.add(message -> heartbeats.add(message.type()), Map.of(PeerMessageListener.TYPE_PROPERTY, "heartbeat"));
        dispatcher.add(message -> checkpoints.add(message.type()), Map.of(PeerMessageListener.TYPE_PROPERTY,
                new String[] {"checkpoint.request", "checkpoint.done"}));

        for (String type : List.of("heartbeat", "checkpoint.request", "other", "checkpoint.done")) {
            dispatcher.dispatch(message(type));
        }

        assertEquals(List.of("heartbeat", "checkpoint.request", "other", "checkpoint.done"), all);
        assertEquals(List.of("heartbeat"), heartbeats);
        assertEquals(List.of("checkpoint.request", "checkpoint.done"), checkpoints);
    }

    @Test
    void shouldKeepDeliveringWhenAListenerThrows() {
        List<String> received = new CopyOnWriteArrayList<>();
        dispatcher.add(message -> {
            throw new IllegalStateException("listener bug");
        }, Map.of());
        dispatcher.add(message -> received.add(message.type()), Map.of());
        assertEquals(2, dispatcher.dispatch(message("heartbeat")));
        assertEquals(List.of("heartbeat"), received);
    }

    @Test
    void shouldStopDeliveringAfterRemovalAndFollowUpdates() {
        List<String> received = new CopyOnWriteArrayList<>();
        PeerMessageListener listener = message -> received.add(message.type());
        dispatcher.add(listener, Map.of(PeerMessageListener.TYPE_PROPERTY, "a"));
        dispatcher.update(listener, Map.of(PeerMessageListener.TYPE_PROPERTY, "b"));
        dispatcher.dispatch(message("a"));
        dispatcher.dispatch(message("b"));
        dispatcher.remove(listener);
        dispatcher.dispatch(message("b"));
        assertEquals(List.of("b"), received);
    }

    @Test
    void shouldRefuseTypePropertyOfAnotherType() {
        assertThrows(IllegalArgumentException.class, () -> MessageDispatcher.typesOf(42));
    }

    private static PeerMessage message(String type) {
        return new PeerMessage(new NodeId("colo-b"), LinkChannel.CONTROL, type, new byte[0]);
    }
}
