package dev.colo.management.rmi.internal;

import dev.colo.api.pair.PairKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import java.util.Properties;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TLS material of Karaf's JMX connector. With {@code secured = true} in {@code org.apache.karaf.management.cfg},
 * Karaf asks for a key store by the name its {@code keyStore} key gives and a trust store by the name its
 * {@code trustStore} key gives; this node serves its own peer-link key and trust store ({@code tls.*} of
 * {@code dev.colo.pair.cfg}) under those names, so a JMX client trusts a node the way its peer does: by the pair's CA.
 *
 * @param keyStore   the node's key and certificate chain
 * @param trustStore the pair's CA
 * @param keyAlias   the key Karaf serves ({@code keyAlias})
 */
record ConnectorTls(Store keyStore, Store trustStore, String keyAlias) {
    static final String PAIR_FILE = "dev.colo.pair.cfg";
    static final String SECURED_KEY = "secured";
    static final String KEY_STORE_KEY = "keyStore";
    static final String TRUST_STORE_KEY = "trustStore";
    static final String KEY_ALIAS_KEY = "keyAlias";
    private static final String STORE_TYPE = "PKCS12";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");

    /** A PKCS#12 store as Karaf's KeystoreManager knows it: by name. */
    record Store(String name, Path path, String password) {
        @Override
        public String toString() {
            return name + " (" + path + ")";
        }
    }

    /**
     * The connector's TLS material, or empty when the connector is not {@code secured} (or there is no management
     * configuration).
     *
     * @param properties resolves the {@code ${name}} placeholders of paths (framework and system properties)
     * @throws IOException naming the file and key of what is missing or wrong
     */
    static Optional<ConnectorTls> in(Path etc, UnaryOperator<String> properties) throws IOException {
        Optional<Properties> management = EtcFile.read(etc, RegistryAddress.FILE);
        if (management.isEmpty() || !secured(management.get())) {
            return Optional.empty();
        }
        Properties pair = EtcFile.read(etc, PAIR_FILE).orElseThrow(() -> new IOException(SECURED_KEY + " = true in "
                + etc.resolve(RegistryAddress.FILE) + " but there is no " + etc.resolve(PAIR_FILE) + " with the node's "
                + "TLS material"));
        Reader reader = new Reader(etc.resolve(PAIR_FILE), pair, properties);
        String keyAlias = EtcFile.value(management.get(), KEY_ALIAS_KEY, "karaf");
        Store keyStore = reader.store(EtcFile.value(management.get(), KEY_STORE_KEY, "karaf.ks"),
                PairKeys.KEYSTORE_PATH, PairKeys.KEYSTORE_PASSWORD);
        Store trustStore = reader.store(EtcFile.value(management.get(), TRUST_STORE_KEY, "karaf.ts"),
                PairKeys.TRUSTSTORE_PATH, PairKeys.TRUSTSTORE_PASSWORD);
        if (!reader.hasKey(keyStore, keyAlias)) {
            throw new IOException(etc.resolve(RegistryAddress.FILE) + ": " + KEY_ALIAS_KEY + " = '" + keyAlias
                    + "' names no key in " + keyStore.path() + " (" + PairKeys.KEYSTORE_PATH + ")");
        }
        return Optional.of(new ConnectorTls(keyStore, trustStore, keyAlias));
    }

    /** Whether the management configuration asks for TLS (Karaf's default is no). */
    static boolean secured(Properties management) {
        return Boolean.parseBoolean(EtcFile.value(management, SECURED_KEY, "false"));
    }

    /** Reads stores from the pair configuration, naming the file and key of anything wrong. */
    private record Reader(Path file, Properties pair, UnaryOperator<String> properties) {
        Store store(String name, String pathKey, String passwordKey) throws IOException {
            Path path = Path.of(resolve(pathKey, required(pathKey)));
            String password = required(passwordKey);
            load(path, password, pathKey, passwordKey);
            return new Store(name, path, password);
        }

        boolean hasKey(Store store, String alias) throws IOException {
            try {
                return load(store.path(), store.password(), PairKeys.KEYSTORE_PATH, PairKeys.KEYSTORE_PASSWORD)
                        .isKeyEntry(alias);
            } catch (GeneralSecurityException e) {
                throw new IOException(store.path() + ": " + e.getMessage(), e);
            }
        }

        private KeyStore load(Path path, String password, String pathKey, String passwordKey) throws IOException {
            try (InputStream in = Files.newInputStream(path)) {
                KeyStore store = KeyStore.getInstance(STORE_TYPE);
                store.load(in, password.toCharArray());
                return store;
            } catch (IOException | GeneralSecurityException e) {
                throw new IOException(file + ": " + pathKey + " = " + path + " cannot be opened as " + STORE_TYPE
                        + " with " + passwordKey + " (" + e + ")", e);
            }
        }

        private String required(String key) throws IOException {
            String value = EtcFile.value(pair, key, "");
            if (value.isEmpty()) {
                throw new IOException(file + ": " + key + " is empty; the JMX connector needs it for TLS");
            }
            return value;
        }

        private String resolve(String key, String value) throws IOException {
            Matcher matcher = PLACEHOLDER.matcher(value);
            StringBuilder resolved = new StringBuilder();
            while (matcher.find()) {
                String replacement = properties.apply(matcher.group(1));
                if (replacement == null) {
                    throw new IOException(file + ": " + key + " = " + value + ": " + matcher.group() + " is not set");
                }
                matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
            }
            return matcher.appendTail(resolved).toString();
        }
    }
}
