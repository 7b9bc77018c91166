package dev.colo.nbd.export;

import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Serves block devices over NBD on demand, each on its own listener with its own MXBean
 * ({@code dev.colo:type=NbdExport,name=<quoted name>}), as configured exports are. Exports still open when
 * the service goes away are closed with it. The MXBean's {@code BackingPath} is
 * {@link ExportSpec#describe()}.
 */
@ProviderType
public interface NbdExporter {
    /**
     * Starts listening for the export.
     *
     * @return the running export; closing it stops the listener, not the device
     * @throws IOException              when the address cannot be bound
     * @throws IllegalArgumentException when this service already runs an export of that name
     * @throws IllegalStateException    when the service is shutting down
     */
    NbdExportHandle export(ExportSpec spec) throws IOException;
}
