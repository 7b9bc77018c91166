package dev.colo.api.management;

import dev.colo.api.heartbeat.HeartbeatStats;
import dev.colo.api.heartbeat.PeerHealth;
import dev.colo.api.transport.LinkState;
import dev.colo.api.transport.PeerLinkStats;

/**
 * Status of this appliance node at a glance: {@value #OBJECT_NAME}. Every attribute is cheap to read.
 * Before the pair configuration is valid, {@code Configured} is false and the other attributes report
 * unknown values.
 */
public interface NodeMXBean {
    String OBJECT_NAME = "dev.colo:type=Node";

    /** Whether a valid pair configuration is active. */
    boolean isConfigured();

    /** This node's id, {@code unknown} until configured. */
    String getNodeId();

    /** {@code primary} or {@code secondary}; {@code unknown} until configured. */
    String getRole();

    /** The peer's health as the failure detector sees it. */
    PeerHealth getPeerHealth();

    /** State of the peer link. */
    LinkState getLinkState();

    /** Configured {@code host:port} of the peer. */
    String getPeerAddress();

    /**
     * {@code OK}, or {@code FAILED} while a component of this node has a failure it has not recovered from (a
     * thread that died of an uncaught error, a guest that stopped making progress); {@code UNKNOWN} while the
     * health tracker is not running.
     */
    String getHealth();

    /** The failures behind a {@code FAILED} health, each {@code component: what happened (since when)}. */
    String[] getHealthProblems();

    /** Milliseconds since this node's management component started. */
    long getUptimeMillis();

    /** Failure-detector counters, {@code null} while it is not running. */
    HeartbeatStats getHeartbeat();

    /** Peer-link counters, {@code null} while it is not running. */
    PeerLinkStats getPeerLink();
}
