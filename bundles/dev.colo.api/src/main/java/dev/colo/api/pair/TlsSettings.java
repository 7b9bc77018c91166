package dev.colo.api.pair;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Key and trust material of the peer link. Both stores are PKCS#12 files.
 *
 * @param keyStore            this node's private key and certificate chain (key {@code tls.keystore.path})
 * @param keyStorePassword    its password (key {@code tls.keystore.password})
 * @param trustStore          certificates of the CAs we trust for the peer (key {@code tls.truststore.path})
 * @param trustStorePassword  its password (key {@code tls.truststore.password})
 * @param peerFingerprint     if present, the SHA-256 fingerprint (lowercase hex, no separators) the
 *                            peer's certificate must have (key {@code tls.peer.fingerprint.sha256});
 *                            checked in addition to the trust store
 */
public record TlsSettings(
        Path keyStore,
        String keyStorePassword,
        Path trustStore,
        String trustStorePassword,
        Optional<String> peerFingerprint) {

    public TlsSettings {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(keyStorePassword, "keyStorePassword");
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(trustStorePassword, "trustStorePassword");
        Objects.requireNonNull(peerFingerprint, "peerFingerprint");
    }

    /** Passwords are never printed. */
    @Override
    public String toString() {
        return "TlsSettings[keyStore=" + keyStore + ", trustStore=" + trustStore
                + ", peerFingerprint=" + peerFingerprint.orElse("none") + "]";
    }
}
