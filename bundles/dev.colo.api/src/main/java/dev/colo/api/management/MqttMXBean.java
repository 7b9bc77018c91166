package dev.colo.api.management;

/** The MQTT publisher of this node's events, {@value #OBJECT_NAME}. Every attribute is cheap to read. */
public interface MqttMXBean {
    String OBJECT_NAME = "dev.colo:type=Mqtt";

    /** DISABLED (no broker configured), CONNECTING, CONNECTED or DISCONNECTED. */
    String getConnectionState();

    /** The brokers, in the order they are tried; the one connected to first while CONNECTED. */
    String getServerUris();

    /** This node's publisher session: counts the publisher's starts, carried by status and every message. */
    long getSession();

    /** The sequence number of the last message made in this session. */
    long getLastSequence();

    /** Messages the broker acknowledged since the publisher started (status, state and events). */
    long getPublishedMessages();

    /** Events kept for the broker (on disk, surviving restarts), oldest first. */
    long getBacklogEvents();

    /** The most events kept; beyond, the oldest is dropped and counted. */
    long getBacklogLimitEvents();

    /** Events dropped at the backlog's bound since the node was installed. */
    long getDroppedEvents();

    /** The last connection or publication error, in words; empty when there was none. */
    String getLastError();
}
