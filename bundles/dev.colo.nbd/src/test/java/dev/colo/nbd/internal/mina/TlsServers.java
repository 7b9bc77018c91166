package dev.colo.nbd.internal.mina;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.colo.nbd.internal.server.NbdExport;
import dev.colo.nbd.internal.server.NbdTlsSettings;
import dev.colo.nbd.internal.server.TlsMode;
import dev.colo.storage.FileBlockDevice;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A self-signed PKCS#12 key store (made by the JDK's keytool) and TLS-enabled servers, for tests. */
public final class TlsServers {
    public static final String PASSWORD = "changeit";

    private TlsServers() {
    }

    public static Path keyStore(Path dir) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        assumeTrue(Files.isExecutable(keytool), "keytool not found in " + keytool);
        Path keyStore = dir.resolve("server.p12");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "nbd", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost",
                "-ext", "bc:c=ca:true", // self-signed and its own CA, so GnuTLS clients can trust it
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", PASSWORD)
                .redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "keytool failed");
        return keyStore;
    }

    /** The key store's self-signed certificate as PEM ({@code ca-cert.pem} for GnuTLS clients) in {@code dir}. */
    public static Path exportCertificate(Path keyStore, Path dir) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path pem = dir.resolve("ca-cert.pem");
        Process process = new ProcessBuilder(keytool.toString(), "-exportcert", "-rfc", "-alias", "nbd", "-keystore",
                keyStore.toString(), "-storepass", PASSWORD, "-file", pem.toString()).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "keytool -exportcert failed");
        return pem;
    }

    /** Runs the JDK's keytool with these arguments; fails the test if it fails. */
    public static void keytool(String... args) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        assumeTrue(Files.isExecutable(keytool), "keytool not found in " + keytool);
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(keytool.toString());
        command.addAll(java.util.List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "keytool failed: " + output);
    }

    /** An export "secure" of 1 MiB; the store is closed with the JVM (tests only). */
    public static NbdServer server(Path dir, Path keyStore, TlsMode mode) throws Exception {
        return server(dir, new NbdTlsSettings(keyStore, PASSWORD, null, null), mode);
    }

    public static NbdServer server(Path dir, NbdTlsSettings tls, TlsMode mode) throws Exception {
        FileBlockDevice store = FileBlockDevice.open(dir.resolve("tls.img"), 1 << 20, false);
        return new NbdServer(new NbdExport("secure", store), new InetSocketAddress("127.0.0.1", 0),
                NbdServer.DEFAULT_WORKER_THREADS, mode, tls);
    }
}
