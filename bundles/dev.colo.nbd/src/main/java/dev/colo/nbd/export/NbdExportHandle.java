package dev.colo.nbd.export;

import java.net.InetSocketAddress;
import org.osgi.annotation.versioning.ProviderType;

/** A running export started by {@link NbdExporter#export}. */
@ProviderType
public interface NbdExportHandle extends AutoCloseable {
    String name();

    /** The bound address, with the real port when port 0 was asked for. */
    InetSocketAddress address();

    /**
     * Stops the listener, closes its connections and unregisters the MXBean; idempotent. The device is
     * not closed: it belongs to the caller.
     */
    @Override
    void close();
}
