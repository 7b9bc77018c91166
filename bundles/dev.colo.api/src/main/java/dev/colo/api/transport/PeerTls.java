package dev.colo.api.transport;

import javax.net.ssl.SSLContext;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The peer link's TLS, for other connections between the two appliances of the pair (e.g. replication's
 * NBD): the same key, the same trust (the pair CA and/or the pinned SHA-256 fingerprint) and the same
 * identity check (the peer's certificate names a node id other than ours) as the link. Registered by the
 * transport bundle while the pair configuration is valid.
 */
@ProviderType
public interface PeerTls {
    /**
     * An SSL context for both sides of a connection, TLS 1.3 only, with mutual authentication: use
     * {@link #protocols()} as the enabled protocols, and a server must also require client certificates
     * ({@code setNeedClientAuth(true)}), as the context cannot enforce that by itself.
     */
    SSLContext context();

    /** The protocols to enable: {@code {"TLSv1.3"}}; a new array on every call. */
    String[] protocols();
}
