package dev.colo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JConsole starts with the pair's CA as its trust store; URL and login go into its New Connection dialog. */
class JconsoleCommandTest {
    private static PairFile.Node node(Path trustStore) {
        return new PairFile.Node("colo-a", "primary", 1, Path.of("/p/colo-a"), new PairFile.Jmx(
                "service:jmx:rmi://127.0.0.1:2/jndi/rmi://127.0.0.1:1/karaf-colo-a", "admin", "pw",
                trustStore, trustStore == null ? null : "tpw"), 3, 4, "nbd://127.0.0.1:5/scratch", List.of(), 0,
                PairFile.Host.LOOPBACK);
    }

    @Test
    void shouldPrintTheCommandLineThenTheFieldsOfTheDialog() {
        assertEquals("""
                jconsole -J-Djavax.net.ssl.trustStore=/p/colo-a/etc/tls/trust.p12 -J-Djavax.net.ssl.trustStoreType=PKCS12 \\
                    -J-Djavax.net.ssl.trustStorePassword=tpw
                # then in New Connection (node colo-a, primary):
                #   Remote Process: service:jmx:rmi://127.0.0.1:2/jndi/rmi://127.0.0.1:1/karaf-colo-a
                #   Username:       admin
                #   Password:       pw
                """, JconsoleCommand.lines(node(Path.of("/p/colo-a/etc/tls/trust.p12"))));
        assertEquals("jconsole\n", JconsoleCommand.lines(node(null)).lines().findFirst().orElseThrow() + "\n");
    }
}
