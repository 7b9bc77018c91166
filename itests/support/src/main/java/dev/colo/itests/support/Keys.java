package dev.colo.itests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Key material of the intruders. */
public final class Keys {
    private Keys() {
    }

    /**
     * A PKCS12 keystore {@code DIR/untrusted.p12} with one self-signed EC key and certificate, alias and
     * {@code CN} {@code alias}, that no node trusts; made with the JDK's keytool.
     */
    public static Path untrustedKeyStore(Path dir, String alias, String password) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path store = dir.resolve("untrusted.p12");
        Files.deleteIfExists(store);
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Processes.Result result = Processes.run(List.of(keytool.toString(), "-genkeypair", "-alias", alias,
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + alias, "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password, "-keypass", password),
                null, dir.resolve("keytool.log"), Duration.ofSeconds(60));
        if (result.exit() != 0) {
            throw new IllegalStateException("keytool failed with exit code " + result.exit() + ":\n" + result.output());
        }
        return store;
    }
}
