package dev.colo.nbd.client.interop;

import static dev.colo.nbd.client.interop.InteropChecks.failure;
import static dev.colo.nbd.client.interop.InteropChecks.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.client.NbdClient;
import dev.colo.nbd.client.NbdConnectionException;
import dev.colo.nbd.export.ExportSpec;
import dev.colo.nbd.export.ExportTls;
import dev.colo.nbd.export.MemoryBlockDevice;
import dev.colo.nbd.export.NbdExportHandle;
import dev.colo.nbd.internal.server.NbdExporterComponent;
import dev.colo.nbd.internal.server.RecordingBundleContext;
import dev.colo.testing.TestPki;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/** Programmatic exports ({@link dev.colo.nbd.export.NbdExporter}) of an in-memory device, used by our client. */
class ExporterInteropTest {
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final NbdClient.Options OPTIONS = NbdClient.Options.defaults()
            .withConnectTimeout(Duration.ofSeconds(5));

    private final RecordingBundleContext registrations = new RecordingBundleContext();
    private final NbdExporterComponent exporter = new NbdExporterComponent(registrations.context());

    @Test
    void shouldReadAndWriteAnInMemoryDevice() throws Exception {
        MemoryBlockDevice device = new MemoryBlockDevice(1 << 20);
        try (NbdExportHandle handle = exporter.export(new ExportSpec("mem0", device, ANY_PORT, ExportTls.none()));
                NbdClient client = get(connect(handle, OPTIONS))) {
            assertEquals(1 << 20, client.export().sizeBytes());
            byte[] data = InteropChecks.pattern(8192, 42);
            get(client.write(4096, data, true));
            assertArrayEquals(data, device.bytes(4096, 8192), "the write reached the device");
            assertArrayEquals(data, get(client.read(4096, 8192)));
            assertEquals(1, device.durableWrites(), "FUA made the write durable");
            get(client.writeZeroes(4096, 512, false));
            assertArrayEquals(new byte[512], get(client.read(4096, 512)));
        }
    }

    @Test
    void closingTheHandleShouldFreeThePortAndUnregisterTheMXBean() throws Exception {
        NbdExportHandle handle = exporter.export(new ExportSpec("mem1", new MemoryBlockDevice(4096), ANY_PORT,
                ExportTls.none()));
        assertEquals(Set.of("dev.colo:type=NbdExport,name=\"mem1\""), registrations.liveObjectNames());
        NbdClient client = get(connect(handle, OPTIONS));
        handle.close();
        assertEquals(Set.of(), registrations.liveObjectNames());
        try (ServerSocket again = new ServerSocket(handle.address().getPort(), 1, InetAddress.getLoopbackAddress())) {
            assertEquals(handle.address().getPort(), again.getLocalPort(), "the port was released");
        }
        assertTrue(failure(client.read(0, 512)) != null, "the open connection was closed with the export");
        client.close();
    }

    @Test
    void aTlsRequiredExportShouldServeOnlyClientsWithATrustedCertificate() throws Exception {
        TestPki pki = TestPki.shared();
        SSLContext server = context(pki.keyStore("colo-a"), pki.trustStore());
        MemoryBlockDevice device = new MemoryBlockDevice(64 * 1024);
        try (NbdExportHandle handle = exporter.export(new ExportSpec("secure", device, ANY_PORT,
                ExportTls.required(server)))) {
            try (NbdClient client = get(connect(handle, OPTIONS.withTls(context(pki.keyStore("colo-b"),
                    pki.trustStore()))))) {
                get(client.write(0, new byte[] {1, 2, 3}, false));
                assertArrayEquals(new byte[] {1, 2, 3}, get(client.read(0, 3)));
            }
            Throwable noCertificate = failure(connect(handle, OPTIONS.withTls(context(null, pki.trustStore()))));
            assertInstanceOf(NbdConnectionException.class, noCertificate, "refused without a client certificate");
            Throwable rogue = failure(connect(handle, OPTIONS.withTls(context(pki.keyStore("colo-x"),
                    pki.trustStore()))));
            assertInstanceOf(NbdConnectionException.class, rogue, "refused with a certificate of another CA");
            Throwable clearText = failure(connect(handle, OPTIONS));
            assertInstanceOf(NbdConnectionException.class, clearText, "refused without TLS");
            assertArrayEquals(new byte[] {1, 2, 3}, device.bytes(0, 3));
        }
    }

    private static CompletableFuture<NbdClient> connect(NbdExportHandle handle, NbdClient.Options options) {
        return NbdClient.connect("127.0.0.1", handle.address().getPort(), handle.name(), options);
    }

    /** TLS 1.3 with the key of {@code keyStore} (none when null), trusting the CA of {@code trustStore}. */
    private static SSLContext context(Path keyStore, Path trustStore) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore == null ? emptyKeyStore() : TestPki.load(keyStore), TestPki.PASSWORD.toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(TestPki.load(trustStore));
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore emptyKeyStore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }
}
