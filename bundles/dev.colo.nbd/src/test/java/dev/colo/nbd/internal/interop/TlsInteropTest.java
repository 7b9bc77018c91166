package dev.colo.nbd.internal.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.internal.mina.NbdServer;
import dev.colo.nbd.internal.mina.RunningExport;
import dev.colo.nbd.internal.mina.TlsServers;
import dev.colo.nbd.internal.server.TlsMode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libnbd (GnuTLS) through NBD_OPT_STARTTLS into our TLS 1.3. The server's certificate is self-signed, so
 * the client is told not to verify it ({@code tls-verify-peer=false}); client certificates are not tested.
 */
class TlsInteropTest {

    @TempDir
    Path dir;

    @Test
    void shouldServeLibnbdOverRequiredTlsOnly() throws Exception {
        Tool.assumeInstalled("nbdinfo");
        Tool.assumeInstalled("nbdcopy");
        Path keyStore = TlsServers.keyStore(dir);
        try (NbdServer server = TlsServers.server(dir, keyStore, TlsMode.REQUIRED)) {
            int port = server.start().getPort();
            Tool.Result plain = Tool.run(30, "nbdinfo", "nbd://127.0.0.1:" + port + "/secure");
            assertFalse(plain.ok(), "clear text must be refused: " + plain.output());

            String uri = "nbds://127.0.0.1:" + port + "/secure?tls-verify-peer=false";
            Tool.Result info = Tool.run(30, "nbdinfo", "--json", uri);
            assertTrue(info.ok(), info.output());
            assertTrue(info.output().contains("\"export-size\": 1048576"), info.output());

            Path source = RandomFiles.create(dir.resolve("source.img"), 1 << 20, 11);
            Path back = dir.resolve("back.img");
            Tool.Result in = Tool.run(60, "nbdcopy", source.toString(), uri);
            assertTrue(in.ok(), in.output());
            Tool.Result out = Tool.run(60, "nbdcopy", uri, back.toString());
            assertTrue(out.ok(), out.output());
            assertEquals(RunningExport.sha256(source), RunningExport.sha256(back));
            assertEquals(RunningExport.sha256(source), RunningExport.sha256(dir.resolve("tls.img")));
        }
    }

    @Test
    void shouldServeQemuOverTlsVerifyingOurCertificate() throws Exception {
        Tool.assumeInstalled("qemu-io");
        Path keyStore = TlsServers.keyStore(dir);
        Path credentials = java.nio.file.Files.createDirectory(dir.resolve("qemu-tls"));
        TlsServers.exportCertificate(keyStore, credentials);
        try (NbdServer server = TlsServers.server(dir, keyStore, TlsMode.REQUIRED)) {
            int port = server.start().getPort();
            Tool.Result result = Tool.run(60, "qemu-io",
                    "--object", "tls-creds-x509,id=tls0,dir=" + credentials + ",endpoint=client,verify-peer=on",
                    "--image-opts", "driver=nbd,host=127.0.0.1,port=" + port + ",export=secure,tls-creds=tls0",
                    "-c", "write -P 0x5a 4096 64k", "-c", "read -P 0x5a 4096 64k");
            assertTrue(result.ok(), result.output());
            assertFalse(result.output().contains("Pattern verification failed"), result.output());
            assertTrue(result.output().contains("read 65536/65536 bytes at offset 4096"), result.output());
        }
    }
}
