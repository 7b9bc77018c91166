package dev.colo.nbd.internal.mina;

import dev.colo.nbd.internal.server.NbdExport;
import dev.colo.storage.FileBlockDevice;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** An export served in-process on 127.0.0.1, port 0, over a sparse file; for tests. */
public final class RunningExport implements AutoCloseable {
    private final Path file;
    private final FileBlockDevice store;
    private final NbdExport export;
    private final NbdServer server;
    private final InetSocketAddress address;

    private RunningExport(Path file, String name, long sizeBytes, boolean readOnly) throws IOException {
        this.file = file;
        this.store = FileBlockDevice.open(file, sizeBytes, readOnly);
        this.export = new NbdExport(name, store);
        this.server = new NbdServer(export, new InetSocketAddress("127.0.0.1", 0));
        this.address = server.start();
    }

    public static RunningExport start(Path dir, String name, long sizeBytes) throws IOException {
        return new RunningExport(dir.resolve(name + ".img"), name, sizeBytes, false);
    }

    /** A read-only export over an existing file. */
    public static RunningExport startReadOnly(Path file, String name) throws IOException {
        return new RunningExport(file, name, 0, true);
    }

    public int port() {
        return address.getPort();
    }

    public String uri() {
        return "nbd://127.0.0.1:" + port() + "/" + export.name();
    }

    public Path file() {
        return file;
    }

    public NbdExport export() {
        return export;
    }

    public String sha256() throws IOException {
        return sha256(file);
    }

    public static String sha256(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        store.close();
    }
}
