package dev.colo.transport.internal;

import dev.colo.api.NodeId;
import dev.colo.api.transport.LinkChannel;
import dev.colo.api.transport.LinkState;
import java.util.EnumMap;
import java.util.Map;

/**
 * Which of the four connections (two channels, two directions) are up, and the link state that follows.
 * A connection is an opaque object (the transport's session). A newer connection for the same slot
 * replaces the older one, which the caller then closes; a close of a replaced connection changes nothing.
 * Every change of state is reported to the observer, in order; after {@link #close} nothing changes.
 */
public final class LinkStatus {
    /** Told about every state change, while the status is locked (so: quickly, without blocking). */
    @FunctionalInterface
    public interface Observer {
        void stateChanged(LinkState previous, LinkState current, String reason);
    }

    private final Observer observer;
    private final Map<Direction, Map<LinkChannel, Object>> connections = new EnumMap<>(Direction.class);
    private volatile LinkState state = LinkState.DISCONNECTED;
    private volatile NodeId peer;

    public LinkStatus(Observer observer) {
        this.observer = observer;
        for (Direction direction : Direction.values()) {
            connections.put(direction, new EnumMap<>(LinkChannel.class));
        }
    }

    public LinkState state() {
        return state;
    }

    /** The peer's node id as last authenticated, or {@code null} before the first connection. */
    public NodeId peer() {
        return peer;
    }

    /** @return the connection this one replaces, to be closed by the caller, or {@code null} */
    public synchronized Object connectionUp(Direction direction, LinkChannel channel, Object connection,
            NodeId peerNode, String reason) {
        if (state == LinkState.CLOSED) {
            return connection; // too late: the caller closes the new one
        }
        peer = peerNode;
        Object previous = connections.get(direction).put(channel, connection);
        update(reason);
        return previous;
    }

    /** Forgets the connection if it is still the current one of its slot. */
    public synchronized void connectionDown(Direction direction, LinkChannel channel, Object connection,
            String reason) {
        if (state != LinkState.CLOSED && connections.get(direction).remove(channel, connection)) {
            update(reason);
        }
    }

    public synchronized boolean isUp(Direction direction, LinkChannel channel) {
        return connections.get(direction).containsKey(channel);
    }

    /** Moves to {@link LinkState#CLOSED} for good; returns false if it already was. */
    public synchronized boolean close(String reason) {
        if (state == LinkState.CLOSED) {
            return false;
        }
        connections.values().forEach(Map::clear);
        transition(LinkState.CLOSED, reason);
        return true;
    }

    /** The state for a number of connections up out of the total. */
    static LinkState stateFor(int up, int total) {
        if (up == 0) {
            return LinkState.DISCONNECTED;
        }
        return up == total ? LinkState.CONNECTED : LinkState.CONNECTING;
    }

    private void update(String reason) {
        int up = connections.values().stream().mapToInt(Map::size).sum();
        transition(stateFor(up, Direction.values().length * LinkChannel.values().length), reason);
    }

    private void transition(LinkState next, String reason) {
        LinkState previous = state;
        if (previous != next) {
            state = next;
            observer.stateChanged(previous, next, reason);
        }
    }
}
