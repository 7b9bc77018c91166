package dev.colo.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The certificates of a pair, made with the JDK's keytool: a pair CA, and per node a PKCS#12 key store
 * (key + chain, CN = node id) and a PKCS#12 trust store (the CA certificate). Passwords are random and
 * reach keytool through its environment, never its command line.
 */
final class Pki {
    static final String NODE_KEYSTORE = "node.p12";
    static final String TRUSTSTORE = "trust.p12";
    private static final String KEY_ALIAS = "node";
    private static final String CA_ALIAS = "colo-pair-ca";
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    /** Key material made for one node. */
    record NodeMaterial(String nodeId, Path keyStore, String keyStorePassword, Path trustStore,
                        String trustStorePassword, String fingerprintSha256) {
    }

    private final Path keytool;
    private final int validityDays;

    /** An IPv4 or IPv6 literal (a certificate names it as {@code ip:}, anything else as {@code dns:}). */
    private static final java.util.regex.Pattern IP_LITERAL = java.util.regex.Pattern.compile(
            "\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");

    Pki(int validityDays) {
        this.keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        this.validityDays = validityDays;
    }

    /**
     * Creates the CA in {@code caDir} (ca.p12, its password in ca.password, ca.pem) and, per node, the key
     * and trust store in the directory that {@code nodeDirs} maps the node id to. Refuses to overwrite.
     */
    List<NodeMaterial> create(Path caDir, Map<String, Path> nodeDirs) throws CliException {
        return create(caDir, nodeDirs, Map.of());
    }

    /**
     * {@link #create(Path, Map)}, each node's certificate also naming the addresses {@code addresses} maps it to
     * (besides its node id and 127.0.0.1): clients that check the address they dialled (JMX over TLS) accept it.
     */
    List<NodeMaterial> create(Path caDir, Map<String, Path> nodeDirs, Map<String, List<String>> addresses)
            throws CliException {
        if (!Files.isExecutable(keytool)) {
            throw new CliException("keytool not found at " + keytool + " (a full JDK or JRE 17 is needed)");
        }
        Path caStore = caDir.resolve("ca.p12");
        refuseExisting(caStore);
        for (Path dir : nodeDirs.values()) {
            refuseExisting(dir.resolve(NODE_KEYSTORE));
            refuseExisting(dir.resolve(TRUSTSTORE));
        }
        try {
            Files.createDirectories(caDir);
            String caPassword = Secrets.password();
            Secrets.writeOwnerOnly(caDir.resolve("ca.password"), caPassword + "\n");
            Path caPem = caDir.resolve("ca.pem");
            keytool(Map.of("CA_PASS", caPassword), "-genkeypair", "-alias", CA_ALIAS, "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=COLO pair CA", "-ext", "bc:c", "-ext", "ku:c=keyCertSign,cRLSign",
                    "-validity", String.valueOf(validityDays), "-storetype", "PKCS12",
                    "-keystore", caStore.toString(), "-storepass:env", "CA_PASS");
            Secrets.restrict(caStore);
            keytool(Map.of("CA_PASS", caPassword), "-exportcert", "-rfc", "-alias", CA_ALIAS,
                    "-keystore", caStore.toString(), "-storepass:env", "CA_PASS", "-file", caPem.toString());

            List<NodeMaterial> result = new ArrayList<>();
            for (Map.Entry<String, Path> node : nodeDirs.entrySet()) {
                result.add(createNode(node.getKey(), node.getValue(), caStore, caPassword, caPem,
                        addresses.getOrDefault(node.getKey(), List.of())));
            }
            return result;
        } catch (IOException e) {
            throw new CliException("cannot create the certificates: " + e.getMessage(), e);
        }
    }

    private NodeMaterial createNode(String nodeId, Path dir, Path caStore, String caPassword, Path caPem,
            List<String> addresses) throws IOException, CliException {
        Files.createDirectories(dir);
        Path keyStore = dir.resolve(NODE_KEYSTORE);
        Path trustStore = dir.resolve(TRUSTSTORE);
        Path csr = dir.resolve("node.csr");
        Path cert = dir.resolve("node.pem");
        String keyPassword = Secrets.password();
        String trustPassword = Secrets.password();
        Map<String, String> env = Map.of("CA_PASS", caPassword, "NODE_PASS", keyPassword, "TRUST_PASS", trustPassword);
        String store = keyStore.toString();

        keytool(env, "-genkeypair", "-alias", KEY_ALIAS, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + nodeId, "-validity", String.valueOf(validityDays), "-storetype", "PKCS12",
                "-keystore", store, "-storepass:env", "NODE_PASS");
        Secrets.restrict(keyStore);
        keytool(env, "-certreq", "-alias", KEY_ALIAS, "-keystore", store, "-storepass:env", "NODE_PASS",
                "-file", csr.toString());
        keytool(env, "-gencert", "-alias", CA_ALIAS, "-keystore", caStore.toString(), "-storepass:env", "CA_PASS",
                "-infile", csr.toString(), "-outfile", cert.toString(), "-rfc",
                "-validity", String.valueOf(validityDays),
                "-ext", "san=dns:" + nodeId + ",ip:127.0.0.1" + addresses.stream().filter(host -> !"127.0.0.1".equals(host))
                        .distinct().map(host -> (IP_LITERAL.matcher(host).matches() ? ",ip:" : ",dns:") + host)
                        .collect(java.util.stream.Collectors.joining()),
                "-ext", "ku:c=digitalSignature,keyAgreement",
                "-ext", "eku=serverAuth,clientAuth");
        // the chain of the reply is built from the CA entry, which is removed again afterwards
        keytool(env, "-importcert", "-noprompt", "-alias", CA_ALIAS, "-file", caPem.toString(),
                "-keystore", store, "-storepass:env", "NODE_PASS");
        keytool(env, "-importcert", "-alias", KEY_ALIAS, "-file", cert.toString(),
                "-keystore", store, "-storepass:env", "NODE_PASS");
        keytool(env, "-delete", "-alias", CA_ALIAS, "-keystore", store, "-storepass:env", "NODE_PASS");
        keytool(env, "-importcert", "-noprompt", "-alias", CA_ALIAS, "-file", caPem.toString(),
                "-storetype", "PKCS12", "-keystore", trustStore.toString(), "-storepass:env", "TRUST_PASS");
        Secrets.restrict(trustStore);
        Files.deleteIfExists(csr);
        return new NodeMaterial(nodeId, keyStore, keyPassword, trustStore, trustPassword,
                fingerprint(keyStore, keyPassword));
    }

    /** SHA-256 of the node certificate (DER), uppercase hex with ':' separators, as keytool prints it. */
    static String fingerprint(Path keyStore, String password) throws CliException {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            Certificate certificate = ks.getCertificate(KEY_ALIAS);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (IOException | GeneralSecurityException e) {
            throw new CliException("cannot read the certificate in " + keyStore + ": " + e.getMessage(), e);
        }
    }

    private void keytool(Map<String, String> env, String... args) throws CliException {
        List<String> command = new ArrayList<>();
        command.add(keytool.toString());
        command.add("-J-XX:TieredStopAtLevel=1");
        command.add("-J-XX:+UseSerialGC");
        command.addAll(List.of(args));
        try {
            Processes.Finished run = Processes.run(command, env, Duration.ofSeconds(KEYTOOL_TIMEOUT_SECONDS));
            if (run.exit() == -1) {
                throw new CliException("keytool " + args[0] + " did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s");
            }
            if (run.exit() != 0) {
                throw new CliException("keytool " + args[0] + " failed (exit " + run.exit() + "): "
                        + run.output().strip());
            }
        } catch (IOException e) {
            throw new CliException("cannot run " + keytool + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while running keytool", e);
        }
    }

    private static void refuseExisting(Path file) throws CliException {
        if (Files.exists(file)) {
            throw new CliException(file + " already exists; remove it (or choose another --dir) to make new certificates");
        }
    }
}
