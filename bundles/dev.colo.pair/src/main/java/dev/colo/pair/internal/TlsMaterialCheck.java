package dev.colo.pair.internal;

import dev.colo.api.NodeId;
import dev.colo.api.config.InvalidConfigurationException;
import dev.colo.api.pair.PairConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Opens the PKCS#12 stores named in the configuration, so that a wrong path, a wrong password or a
 * certificate issued to another node is reported against its key before the peer link tries to use it.
 */
final class TlsMaterialCheck {
    private static final String HIDDEN = InvalidConfigurationException.HIDDEN;

    private TlsMaterialCheck() {
    }

    private static InvalidConfigurationException invalid(String key, Object value, String reason) {
        return InvalidConfigurationException.invalid(PairConfiguration.PID, key, value, reason);
    }

    static Path readableFile(String key, String value) {
        Path path = Path.of(value);
        if (!Files.isRegularFile(path)) {
            throw invalid(key, value, "no such file");
        }
        if (!Files.isReadable(path)) {
            throw invalid(key, value, "file is not readable");
        }
        return path;
    }

    static KeyStore open(String pathKey, Path path, String passwordKey, String password) {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            return store;
        } catch (IOException e) {
            if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
                throw invalid(passwordKey, HIDDEN, "does not open " + pathKey + " " + path);
            }
            throw invalid(pathKey, path, "not a PKCS#12 store (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            throw invalid(pathKey, path, "cannot be read: " + e.getMessage());
        }
    }

    /**
     * The key store must hold exactly one private key (TLS would present any of several), and its
     * certificate must be issued to this node.
     */
    static void requireNodeKey(String pathKey, Path path, KeyStore store, NodeId nodeId) {
        try {
            List<String> keys = Collections.list(store.aliases()).stream().filter(alias -> isKey(store, alias)).toList();
            if (keys.size() != 1) {
                throw invalid(pathKey, path, "must hold exactly one private key, holds " + keys.size());
            }
            if (!(store.getCertificate(keys.get(0)) instanceof X509Certificate cert)) {
                throw invalid(pathKey, path, "its private key has no X.509 certificate");
            }
            String commonName = commonName(cert);
            if (!nodeId.value().equals(commonName)) {
                throw invalid(pathKey, path,
                        "its certificate is issued to CN=" + commonName + ", not to node.id " + nodeId);
            }
        } catch (GeneralSecurityException e) {
            throw invalid(pathKey, path, "cannot be read: " + e.getMessage());
        }
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The trust store must hold at least one trusted certificate. */
    static void requireTrustedCertificate(String pathKey, Path path, KeyStore store) {
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isCertificateEntry(alias)) {
                    return;
                }
            }
        } catch (GeneralSecurityException e) {
            throw invalid(pathKey, path, "cannot be read: " + e.getMessage());
        }
        throw invalid(pathKey, path, "holds no trusted certificate");
    }

    static String commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            return "";
        }
        return "";
    }
}
