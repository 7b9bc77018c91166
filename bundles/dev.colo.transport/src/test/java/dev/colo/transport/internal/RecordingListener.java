package dev.colo.transport.internal;

import dev.colo.api.transport.PeerMessage;
import dev.colo.api.transport.PeerMessageListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Whiteboard listener that keeps what it received. */
final class RecordingListener implements PeerMessageListener {
    private final List<PeerMessage> messages = new CopyOnWriteArrayList<>();

    @Override
    public void onPeerMessage(PeerMessage message) {
        messages.add(message);
    }

    List<PeerMessage> messages() {
        return messages;
    }

    List<String> types() {
        return messages.stream().map(PeerMessage::type).toList();
    }
}
