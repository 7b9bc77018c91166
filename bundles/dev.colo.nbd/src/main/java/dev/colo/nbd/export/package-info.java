/**
 * Exports made by other bundles at run time: hand an {@link dev.colo.nbd.export.ExportSpec} (a
 * {@link dev.colo.api.storage.BlockDevice} the caller opened, an address, TLS) to the
 * {@link dev.colo.nbd.export.NbdExporter} service and close the returned
 * {@link dev.colo.nbd.export.NbdExportHandle} when done; the caller still owns, and closes, the device.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.colo.nbd.export;
