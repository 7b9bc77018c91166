package dev.colo.api.management;

import dev.colo.api.heartbeat.HeartbeatStats;

/** The failure detector of this node, {@value #OBJECT_NAME}. Every attribute is cheap to read. */
public interface HeartbeatMXBean {
    String OBJECT_NAME = "dev.colo:type=Heartbeat";

    /** UNKNOWN, ALIVE, SUSPECTED or DEAD. */
    String getPeerHealth();

    long getIntervalMillis();

    long getSuspectAfterMillis();

    long getTimeoutMillis();

    /** Heartbeats sent and received, the silence so far, the transitions into each health. */
    HeartbeatStats getStatistics();
}
