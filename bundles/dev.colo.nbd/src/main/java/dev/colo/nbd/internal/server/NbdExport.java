package dev.colo.nbd.internal.server;

import dev.colo.nbd.internal.storage.BlockStore;
import dev.colo.nbd.protocol.ExportInfo;
import dev.colo.nbd.protocol.RequestValidator;

/** One export: its handshake description, its backing store, its validator and its counters. */
public final class NbdExport {
    private final ExportInfo info;
    private final BlockStore store;
    private final RequestValidator validator;
    private final ExportCounters counters = new ExportCounters();

    public NbdExport(String name, BlockStore store) {
        this.info = ExportInfo.of(name, store.sizeBytes(), store.readOnly());
        this.store = store;
        this.validator = new RequestValidator(info);
    }

    public String name() {
        return info.name();
    }

    public ExportInfo info() {
        return info;
    }

    public BlockStore store() {
        return store;
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
