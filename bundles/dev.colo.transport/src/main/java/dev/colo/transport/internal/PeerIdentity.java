package dev.colo.transport.internal;

import dev.colo.api.NodeId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * Who a peer certificate belongs to, and whether we accept it beyond the CA's signature: its common name
 * must be a valid node id other than ours, and, when a fingerprint is pinned, its SHA-256 must match.
 */
public final class PeerIdentity {
    private final NodeId ownNodeId;
    private final Optional<String> pinnedFingerprint;

    /** @param pinnedFingerprint SHA-256 of the peer's certificate, lowercase hex without separators */
    public PeerIdentity(NodeId ownNodeId, Optional<String> pinnedFingerprint) {
        this.ownNodeId = ownNodeId;
        this.pinnedFingerprint = pinnedFingerprint.map(pin -> pin.toLowerCase(Locale.ROOT));
    }

    /**
     * Checks a peer's leaf certificate (already validated against the trust store).
     *
     * @return the peer's node id
     * @throws CertificateException saying why the peer is not accepted
     */
    public NodeId verify(X509Certificate peer) throws CertificateException {
        if (pinnedFingerprint.isPresent() && !pinnedFingerprint.get().equals(fingerprint(peer))) {
            throw new CertificateException("certificate fingerprint " + fingerprint(peer)
                    + " does not match the pinned " + pinnedFingerprint.get());
        }
        NodeId peerNode = nodeIdOf(peer);
        if (peerNode.equals(ownNodeId)) {
            throw new CertificateException("certificate names our own node id '" + ownNodeId + "'");
        }
        return peerNode;
    }

    /** The node id in a certificate's subject common name. */
    public static NodeId nodeIdOf(X509Certificate certificate) throws CertificateException {
        return nodeIdOf(certificate.getSubjectX500Principal());
    }

    static NodeId nodeIdOf(X500Principal subject) throws CertificateException {
        String commonName = commonName(subject);
        try {
            return new NodeId(commonName);
        } catch (IllegalArgumentException e) {
            throw new CertificateException("certificate CN '" + commonName + "' is not a node id: " + e.getMessage());
        }
    }

    /** SHA-256 of the DER encoding, lowercase hex without separators. */
    public static String fingerprint(X509Certificate certificate) throws CertificateEncodingException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static String commonName(X500Principal subject) throws CertificateException {
        try {
            List<String> names = new LdapName(subject.getName(X500Principal.RFC2253)).getRdns().stream()
                    .filter(rdn -> rdn.getType().equalsIgnoreCase("CN"))
                    .map(Rdn::getValue)
                    .map(String::valueOf)
                    .toList();
            if (names.size() != 1) {
                throw new CertificateException("certificate subject '" + subject + "' must have exactly one CN");
            }
            return names.get(0);
        } catch (InvalidNameException e) {
            throw new CertificateException("certificate subject '" + subject + "' cannot be parsed", e);
        }
    }
}
