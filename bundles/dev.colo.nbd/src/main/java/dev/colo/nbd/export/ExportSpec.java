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
 */
public record ExportSpec(String name, BlockDevice device, InetSocketAddress bindAddress, ExportTls tls) {

    public ExportSpec {
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
