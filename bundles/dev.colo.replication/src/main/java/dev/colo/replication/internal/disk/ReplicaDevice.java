package dev.colo.replication.internal.disk;

import dev.colo.replication.internal.blocks.IoAction;
import dev.colo.replication.internal.stage.IoRoute.ReplicaWrite;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.Lock;

/**
 * The device behind a secondary's replication export: the primary's writes go into S with
 * copy-before-write into H; reads show S (for tools that compare disks). Refused outside RUNNING, so a
 * node that failed over or stopped takes no more writes from the old primary.
 */
final class ReplicaDevice extends DiskDevice {

    ReplicaDevice(ReplicatedDisk disk) {
        super(disk);
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        disk.parts().local().read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        accepted("write", () -> disk.parts().layers().replicaWrite(offset, src));
    }

    @Override
    public void writeDurable(long offset, ByteBuffer src) throws IOException {
        accepted("write", () -> {
            disk.parts().layers().replicaWrite(offset, src);
            disk.parts().local().flush();
        });
    }

    @Override
    public void writeZeroes(long offset, long length) throws IOException {
        accepted("write zeroes", () -> disk.parts().layers().replicaWriteZeroes(offset, length));
    }

    @Override
    public void trim(long offset, long length) throws IOException {
        accepted("trim", () -> disk.parts().layers().replicaTrim(offset, length));
    }

    @Override
    public void flush() throws IOException {
        accepted("flush", () -> disk.parts().local().flush());
    }

    /** Runs {@code change} under the gate if this node takes the primary's writes now; else an error naming the stage. */
    private void accepted(String what, IoAction change) throws IOException {
        Lock gate = disk.ioGate();
        gate.lock();
        try {
            if (disk.parts().layers() == null || disk.route().replica() != ReplicaWrite.COPY_BEFORE_WRITE) {
                throw new IOException("disk " + disk.name() + " takes no replicated " + what + ": it is "
                        + disk.stage() + " as " + disk.role().configValue());
            }
            change.run();
        } finally {
            gate.unlock();
        }
    }
}
