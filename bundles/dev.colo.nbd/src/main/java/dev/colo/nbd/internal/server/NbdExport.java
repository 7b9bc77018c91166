package dev.colo.nbd.internal.server;

import dev.colo.api.storage.BlockDevice;
import dev.colo.nbd.protocol.ExportInfo;
import dev.colo.nbd.protocol.RequestValidator;

/**
 * One export: its handshake description, its backing device, its validator and its counters. The export
 * does not own the device: whoever opened it closes it.
 */
public final class NbdExport {
    private final ExportInfo info;
    private final BlockDevice device;
    private final RequestValidator validator;
    private final ExportCounters counters = new ExportCounters();

    public NbdExport(String name, BlockDevice device) {
        this.info = ExportInfo.of(name, device.sizeBytes(), device.readOnly());
        this.device = device;
        this.validator = new RequestValidator(info);
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
