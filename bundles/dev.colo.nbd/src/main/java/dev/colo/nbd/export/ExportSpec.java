package dev.colo.nbd.export;

import dev.colo.api.storage.BlockDevice;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One export to start.
 *
 * @param name        the name clients ask for (and of the MXBean); not blank
 * @param device      the bytes served; stays owned by the caller, who closes it after the export
 * @param bindAddress where to listen; port 0 picks a free port ({@link NbdExportHandle#address()} tells it)
 * @param tls         whether and how STARTTLS is offered
 * @param waits       how long the device's requests may take: {@link Waits#ON_LOCAL_DISK} lets small reads and
 *                    writes run on the I/O threads; {@link Waits#ON_ANOTHER_HOST} (a replicated device, whose
 *                    writes wait for the peer) runs every request on a larger worker pool, so that requests of
 *                    all connections wait for the network side by side
 */
public record ExportSpec(String name, BlockDevice device, InetSocketAddress bindAddress, ExportTls tls,
        Waits waits) {

    /** What the device's requests wait for. */
    public enum Waits {
        /** Local storage: page cache or disk. */
        ON_LOCAL_DISK,
        /** Another host's answer, e.g. a replicated write. */
        ON_ANOTHER_HOST
    }

    /** An export of a local device. */
    public ExportSpec(String name, BlockDevice device, InetSocketAddress bindAddress, ExportTls tls) {
        this(name, device, bindAddress, tls, Waits.ON_LOCAL_DISK);
    }

    public ExportSpec {
        Objects.requireNonNull(waits, "waits");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(tls, "tls");
        if (name.isBlank()) {
            throw new IllegalArgumentException("export name must not be blank");
        }
    }

    /**
     * What the export's MXBean shows as its backing path: the device's {@code toString()}, so a device
     * should name its storage there (a file, a volume, an overlay of one).
     */
    public String describe() {
        return device.toString();
    }
}
