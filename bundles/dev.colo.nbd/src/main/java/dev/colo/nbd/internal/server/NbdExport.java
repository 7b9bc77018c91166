package dev.colo.nbd.internal.server;

import dev.colo.api.storage.BlockDevice;
import dev.colo.nbd.export.ExportSpec;
import dev.colo.nbd.protocol.ExportInfo;
import dev.colo.nbd.protocol.RequestValidator;

/**
 * One export: its handshake description, its backing device, its validator and its counters. The export
 * does not own the device: whoever opened it closes it.
 */
public final class NbdExport {
    private static final int LOCAL_WORKERS = 4;
    /** At least the 64 requests in flight that a client may pipeline. */
    private static final int REMOTE_WORKERS = 64;

    private final ExportInfo info;
    private final BlockDevice device;
    private final RequestValidator validator;
    private final ExportCounters counters = new ExportCounters();
    private final ExportSpec.Waits waits;

    public NbdExport(String name, BlockDevice device) {
        this(name, device, ExportSpec.Waits.ON_LOCAL_DISK);
    }

    public NbdExport(String name, BlockDevice device, ExportSpec.Waits waits) {
        this.info = ExportInfo.of(name, device.sizeBytes(), device.readOnly());
        this.device = device;
        this.validator = new RequestValidator(info);
        this.waits = waits;
    }

    /** Whether small requests may run on the I/O threads (the device answers from local storage). */
    public boolean runsOnIoThreads() {
        return waits == ExportSpec.Waits.ON_LOCAL_DISK;
    }

    /** Worker threads the export's requests need: requests waiting on another host wait side by side. */
    public int workerThreads() {
        return waits == ExportSpec.Waits.ON_LOCAL_DISK ? LOCAL_WORKERS : REMOTE_WORKERS;
    }

    public String name() {
        return info.name();
    }

    public ExportInfo info() {
        return info;
    }

    public BlockDevice device() {
        return device;
    }

    public RequestValidator validator() {
        return validator;
    }

    public ExportCounters counters() {
        return counters;
    }

    /** Whether a client's export name selects this export; the empty name is the default export. */
    public boolean answersTo(String requestedName) {
        return requestedName.isEmpty() || requestedName.equals(info.name());
    }
}
