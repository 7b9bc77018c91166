package dev.colo.pair.internal;

import static dev.colo.api.pair.PairKeys.HEARTBEAT_INTERVAL_MS;
import static dev.colo.api.pair.PairKeys.HEARTBEAT_TIMEOUT_MS;
import static dev.colo.api.pair.PairKeys.KEYSTORE_PASSWORD;
import static dev.colo.api.pair.PairKeys.KEYSTORE_PATH;
import static dev.colo.api.pair.PairKeys.LISTEN_ADDRESS;
import static dev.colo.api.pair.PairKeys.LISTEN_PORT;
import static dev.colo.api.pair.PairKeys.MAX_FRAME_BYTES;
import static dev.colo.api.pair.PairKeys.NODE_ID;
import static dev.colo.api.pair.PairKeys.PEER_FINGERPRINT;
import static dev.colo.api.pair.PairKeys.PEER_HOST;
import static dev.colo.api.pair.PairKeys.PEER_PORT;
import static dev.colo.api.pair.PairKeys.RECONNECT_MAX_MS;
import static dev.colo.api.pair.PairKeys.RECONNECT_MIN_MS;
import static dev.colo.api.pair.PairKeys.ROLE;
import static dev.colo.api.pair.PairKeys.TRUSTSTORE_PASSWORD;
import static dev.colo.api.pair.PairKeys.TRUSTSTORE_PATH;

import dev.colo.api.NodeId;
import dev.colo.api.Role;
import dev.colo.api.config.ConfigReader;
import dev.colo.api.config.InvalidConfigurationException;
import dev.colo.api.pair.PairConfiguration;
import dev.colo.api.pair.PairKeys;
import dev.colo.api.pair.PairSettings;
import dev.colo.api.pair.TlsSettings;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Turns the raw pair configuration into {@link PairSettings}, or fails naming the first bad key. */
final class PairSettingsParser {
    /** A timeout shorter than this many intervals would declare a live peer dead after a few late beats. */
    static final int MIN_INTERVALS_PER_TIMEOUT = 3;

    private PairSettingsParser() {
    }

    static PairSettings parse(Map<String, ?> properties) {
        ConfigReader raw = new ConfigReader(PairConfiguration.PID, properties);
        NodeId nodeId = nodeId(raw);
        Role role = role(raw);
        String listenAddress = host(raw, LISTEN_ADDRESS, raw.optional(LISTEN_ADDRESS, "0.0.0.0"));
        int listenPort = raw.port(LISTEN_PORT, 7800);
        String peerHost = host(raw, PEER_HOST, raw.required(PEER_HOST));
        int peerPort = raw.port(PEER_PORT, 7800);
        TlsSettings tls = tls(raw, nodeId);
        long intervalMs = raw.longInRange(HEARTBEAT_INTERVAL_MS, 100, 10, 60_000);
        long timeoutMs = raw.longInRange(HEARTBEAT_TIMEOUT_MS, 1000, 30, 600_000);
        if (timeoutMs < MIN_INTERVALS_PER_TIMEOUT * intervalMs) {
            throw raw.invalid(HEARTBEAT_TIMEOUT_MS, timeoutMs, "must be at least " + MIN_INTERVALS_PER_TIMEOUT
                    + " x " + HEARTBEAT_INTERVAL_MS + " (" + MIN_INTERVALS_PER_TIMEOUT * intervalMs + ")");
        }
        int maxFrameBytes = raw.intInRange(MAX_FRAME_BYTES, 16 * 1024 * 1024, 2 * 1024 * 1024, 256 * 1024 * 1024);
        long reconnectMinMs = raw.longInRange(RECONNECT_MIN_MS, 100, 10, 600_000);
        long reconnectMaxMs = raw.longInRange(RECONNECT_MAX_MS, 5000, 10, 600_000);
        if (reconnectMaxMs < reconnectMinMs) {
            throw raw.invalid(RECONNECT_MAX_MS, reconnectMaxMs, "must not be below " + RECONNECT_MIN_MS
                    + " (" + reconnectMinMs + ")");
        }
        return new PairSettings(nodeId, role, listenAddress, listenPort, peerHost, peerPort, tls,
                intervalMs, timeoutMs, maxFrameBytes, reconnectMinMs, reconnectMaxMs);
    }

    /** Keys present that this PID does not know (probably misspelt), framework keys ignored; sorted. */
    static java.util.List<String> unknownKeys(Map<String, ?> properties) {
        return new ConfigReader(PairConfiguration.PID, properties).unknownKeys(PairKeys.ALL);
    }

    private static NodeId nodeId(ConfigReader raw) {
        String value = raw.required(NODE_ID);
        try {
            return new NodeId(value);
        } catch (IllegalArgumentException e) {
            throw raw.invalid(NODE_ID, value, e.getMessage());
        }
    }

    private static Role role(ConfigReader raw) {
        String value = raw.required(ROLE);
        try {
            return Role.parse(value);
        } catch (IllegalArgumentException e) {
            throw raw.invalid(ROLE, value, e.getMessage());
        }
    }

    private static String host(ConfigReader raw, String key, String value) {
        if (!HostNames.isValid(value)) {
            throw raw.invalid(key, value, "not a host name or an IP address");
        }
        return value;
    }

    private static TlsSettings tls(ConfigReader raw, NodeId nodeId) {
        Path keyStorePath = TlsMaterialCheck.readableFile(KEYSTORE_PATH, raw.required(KEYSTORE_PATH));
        String keyStorePassword = raw.required(KEYSTORE_PASSWORD);
        KeyStore keyStore = TlsMaterialCheck.open(KEYSTORE_PATH, keyStorePath, KEYSTORE_PASSWORD, keyStorePassword);
        TlsMaterialCheck.requireNodeKey(KEYSTORE_PATH, keyStorePath, keyStore, nodeId);
        Optional<String> fingerprint = fingerprint(raw);
        Optional<TlsSettings.TrustStore> trustStore = trustStore(raw, fingerprint.isPresent());
        return new TlsSettings(keyStorePath, keyStorePassword, trustStore, fingerprint);
    }

    /** The CA trust store; it may be left out only when the peer's certificate is pinned instead. */
    private static Optional<TlsSettings.TrustStore> trustStore(ConfigReader raw, boolean pinned) {
        if (raw.text(TRUSTSTORE_PATH).isEmpty() && pinned) {
            return Optional.empty();
        }
        if (raw.text(TRUSTSTORE_PATH).isEmpty()) {
            throw InvalidConfigurationException.missing(raw.pid(), TRUSTSTORE_PATH, "or pin the peer with " + PEER_FINGERPRINT);
        }
        Path path = TlsMaterialCheck.readableFile(TRUSTSTORE_PATH, raw.required(TRUSTSTORE_PATH));
        String password = raw.required(TRUSTSTORE_PASSWORD);
        KeyStore store = TlsMaterialCheck.open(TRUSTSTORE_PATH, path, TRUSTSTORE_PASSWORD, password);
        TlsMaterialCheck.requireTrustedCertificate(TRUSTSTORE_PATH, path, store);
        return Optional.of(new TlsSettings.TrustStore(path, password));
    }

    /** SHA-256 as 64 hex digits; ':' separators and case are accepted and normalised away. */
    private static Optional<String> fingerprint(ConfigReader raw) {
        String value = raw.text(PEER_FINGERPRINT);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String hex = value.replace(":", "").toLowerCase(Locale.ROOT);
        if (!hex.matches("[0-9a-f]{64}")) {
            throw raw.invalid(PEER_FINGERPRINT, value, "must be 64 hex digits (SHA-256), ':' separators allowed");
        }
        return Optional.of(hex);
    }
}
