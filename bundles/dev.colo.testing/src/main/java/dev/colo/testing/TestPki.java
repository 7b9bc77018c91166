package dev.colo.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Key material made with the JDK's keytool, once per test JVM: a pair CA with nodes {@code colo-a} and
 * {@code colo-b}, a trust store holding the pair CA, and a rogue CA with node {@code colo-x}.
 */
public final class TestPki {
    public static final String PASSWORD = "test-secret";
    public static final String PAIR_CA = "pair-ca";
    public static final String ROGUE_CA = "rogue-ca";

    private static TestPki shared;

    private final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /** The material of this test run, generated on first use (a few seconds). */
    public static synchronized TestPki shared() {
        if (shared == null) {
            try {
                TestPki pki = new TestPki(Files.createTempDirectory(Path.of("target"), "test-pki"));
                Runtime.getRuntime().addShutdownHook(new Thread(pki::delete));
                pki.generate();
                shared = pki;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    /** PKCS#12 store with the node's key and its chain. */
    public Path keyStore(String node) {
        return dir.resolve(node + ".p12");
    }

    /** PKCS#12 store holding only a CA's own key entry (no trusted certificate entry). */
    public Path caKeyStore(String ca) {
        return dir.resolve(ca + ".p12");
    }

    /** PKCS#12 store trusting only the pair CA. */
    public Path trustStore() {
        return dir.resolve("trust.p12");
    }

    public X509Certificate certificate(String node) throws Exception {
        return (X509Certificate) load(keyStore(node)).getCertificate("node");
    }

    public static KeyStore load(Path path) throws Exception {
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            return store;
        }
    }

    private void delete() {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
            Files.delete(dir);
        } catch (IOException e) {
            // best effort: it lives under target/
        }
    }

    private void generate() {
        CompletableFuture<Void> pair = CompletableFuture.runAsync(() -> ca(PAIR_CA));
        CompletableFuture<Void> rogue = CompletableFuture.runAsync(() -> ca(ROGUE_CA));
        CompletableFuture.allOf(
                pair.thenRunAsync(() -> node("colo-a", PAIR_CA)),
                pair.thenRunAsync(() -> node("colo-b", PAIR_CA)),
                pair.thenRunAsync(() -> keytool("-importcert", "-alias", "ca", "-file", PAIR_CA + ".pem",
                        "-keystore", "trust.p12", "-noprompt")),
                rogue.thenRunAsync(() -> node("colo-x", ROGUE_CA))).join();
    }

    private void ca(String name) {
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-ext", "bc:c", "-validity", "30", "-keystore", name + ".p12");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", name + ".p12", "-file", name + ".pem");
    }

    private void node(String node, String ca) {
        keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + node,
                "-validity", "30", "-keystore", node + ".p12");
        keytool("-certreq", "-alias", "node", "-keystore", node + ".p12", "-file", node + ".csr");
        keytool("-gencert", "-alias", "ca", "-keystore", ca + ".p12", "-infile", node + ".csr", "-outfile",
                node + ".pem", "-rfc", "-validity", "30", "-ext", "KU=digitalSignature",
                "-ext", "EKU=serverAuth,clientAuth");
        try {
            Files.writeString(dir.resolve(node + "-chain.pem"), Files.readString(dir.resolve(node + ".pem"))
                    + Files.readString(dir.resolve(ca + ".pem")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        keytool("-importcert", "-alias", "node", "-file", node + "-chain.pem", "-keystore", node + ".p12",
                "-noprompt");
    }

    private void keytool(String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
