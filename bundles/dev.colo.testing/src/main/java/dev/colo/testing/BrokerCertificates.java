package dev.colo.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A broker's TLS material made with openssl (PEM, as Mosquitto reads it): a CA, and a certificate it signed for
 * 127.0.0.1 and localhost; and a PKCS#12 trust store (password {@link TestPki#PASSWORD}) holding that CA, for
 * clients.
 *
 * @param caPem                 the CA's certificate
 * @param brokerCertificatePem  the broker's certificate
 * @param brokerKeyPem          the broker's private key
 * @param trustStore            PKCS#12 with the CA
 */
public record BrokerCertificates(Path caPem, Path brokerCertificatePem, Path brokerKeyPem, Path trustStore) {
    /** Whether openssl is installed. */
    public static boolean available() {
        return ThisMachine.hasTool("openssl");
    }

    public static BrokerCertificates create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path caKey = dir.resolve("broker-ca.key");
        Path ca = dir.resolve("broker-ca.pem");
        Path key = dir.resolve("broker.key");
        Path csr = dir.resolve("broker.csr");
        Path cert = dir.resolve("broker.pem");
        Path ext = Files.writeString(dir.resolve("broker.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", caKey.toString(), "-out", ca.toString(), "-days", "30", "-subj", "/CN=test broker CA");
        run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key.toString(), "-out", csr.toString(), "-subj", "/CN=127.0.0.1");
        run(dir, "openssl", "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey", caKey.toString(),
                "-CAcreateserial", "-out", cert.toString(), "-days", "30", "-extfile", ext.toString());
        Path trustStore = dir.resolve("broker-trust.p12");
        Files.deleteIfExists(trustStore);
        run(dir, Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt",
                "-alias", "broker-ca", "-file", ca.toString(), "-storetype", "PKCS12", "-keystore", trustStore.toString(),
                "-storepass", TestPki.PASSWORD);
        return new BrokerCertificates(ca, cert, key, trustStore);
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(dir.toFile())
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
