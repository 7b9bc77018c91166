package dev.colo.replication.internal.disk;

import dev.colo.api.storage.BlockDevice;

/** What the devices of a replicated disk share: its size, and that they are writable. */
abstract class DiskDevice implements BlockDevice {
    protected final ReplicatedDisk disk;

    DiskDevice(ReplicatedDisk disk) {
        this.disk = disk;
    }

    @Override
    public long sizeBytes() {
        return disk.parts().local().sizeBytes();
    }

    @Override
    public boolean readOnly() {
        return false;
    }
}
