package dev.colo.api.pair;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Key and trust material of the peer link. Both stores are PKCS#12 files. The peer is trusted through a
 * CA (the trust store), through a pinned certificate fingerprint, or through both; at least one is set.
 *
 * @param keyStore         this node's private key and certificate chain (key {@code tls.keystore.path})
 * @param keyStorePassword its password (key {@code tls.keystore.password})
 * @param trustStore       if present, the CA certificates the peer's certificate must chain to (keys
 *                         {@code tls.truststore.path} and {@code tls.truststore.password})
 * @param peerFingerprint  if present, the SHA-256 fingerprint (lowercase hex, no separators) the peer's
 *                         certificate must have (key {@code tls.peer.fingerprint.sha256})
 */
public record TlsSettings(
        Path keyStore,
        String keyStorePassword,
        Optional<TrustStore> trustStore,
        Optional<String> peerFingerprint) {

    /** A PKCS#12 trust store and its password. */
    public record TrustStore(Path path, String password) {
        public TrustStore {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(password, "password");
        }

        /** The password is never printed. */
        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** @throws IllegalArgumentException when neither a trust store nor a fingerprint is given */
    public TlsSettings {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(keyStorePassword, "keyStorePassword");
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(peerFingerprint, "peerFingerprint");
        if (trustStore.isEmpty() && peerFingerprint.isEmpty()) {
            throw new IllegalArgumentException("the peer must be trusted through a trust store, a pinned fingerprint, or both");
        }
    }

    /** Passwords are never printed. */
    @Override
    public String toString() {
        return "TlsSettings[keyStore=" + keyStore + ", trustStore=" + trustStore.map(TrustStore::toString).orElse("none")
                + ", peerFingerprint=" + peerFingerprint.orElse("none") + "]";
    }
}
