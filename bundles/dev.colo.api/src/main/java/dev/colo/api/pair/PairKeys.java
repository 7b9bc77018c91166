package dev.colo.api.pair;

import java.util.Set;

/** The keys of the pair configuration (PID {@value PairConfiguration#PID}), for tools that write it. */
public final class PairKeys {
    public static final String NODE_ID = "node.id";
    public static final String ROLE = "role";
    public static final String LISTEN_ADDRESS = "listen.address";
    public static final String LISTEN_PORT = "listen.port";
    public static final String PEER_HOST = "peer.host";
    public static final String PEER_PORT = "peer.port";
    public static final String KEYSTORE_PATH = "tls.keystore.path";
    public static final String KEYSTORE_PASSWORD = "tls.keystore.password";
    public static final String TRUSTSTORE_PATH = "tls.truststore.path";
    public static final String TRUSTSTORE_PASSWORD = "tls.truststore.password";
    public static final String PEER_FINGERPRINT = "tls.peer.fingerprint.sha256";
    public static final String HEARTBEAT_INTERVAL_MS = "heartbeat.interval.ms";
    public static final String HEARTBEAT_TIMEOUT_MS = "heartbeat.timeout.ms";
    public static final String MAX_FRAME_BYTES = "link.max.frame.bytes";
    public static final String RECONNECT_MIN_MS = "link.reconnect.min.ms";
    public static final String RECONNECT_MAX_MS = "link.reconnect.max.ms";

    /** Every key of the PID. */
    public static final Set<String> ALL = Set.of(NODE_ID, ROLE, LISTEN_ADDRESS, LISTEN_PORT, PEER_HOST, PEER_PORT,
            KEYSTORE_PATH, KEYSTORE_PASSWORD, TRUSTSTORE_PATH, TRUSTSTORE_PASSWORD, PEER_FINGERPRINT,
            HEARTBEAT_INTERVAL_MS, HEARTBEAT_TIMEOUT_MS, MAX_FRAME_BYTES, RECONNECT_MIN_MS, RECONNECT_MAX_MS);

    private PairKeys() {
    }
}
