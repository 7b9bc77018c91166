package dev.colo.replication.internal.disk;

import dev.colo.replication.internal.blocks.IoAction;
import dev.colo.replication.internal.stage.IoRoute;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.Lock;

/** The disk as the local guest (and the local NBD export) sees it: each request goes where its route says. */
final class GuestDevice extends DiskDevice {

    GuestDevice(ReplicatedDisk disk) {
        super(disk);
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        routed(route -> {
            switch (route.read()) {
                case LOCAL -> disk.parts().local().read(offset, dst);
                case LAYERED -> disk.parts().layers().layeredRead(offset, dst);
                case REFUSED -> throw refused("read");
            }
        });
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        write(offset, src, false);
    }

    /** A write the guest needs durable; the secondary guest's writes into A need not be (see {@link #flush()}). */
    @Override
    public void writeDurable(long offset, ByteBuffer src) throws IOException {
        write(offset, src, true);
    }

    private void write(long offset, ByteBuffer src, boolean durable) throws IOException {
        routed(route -> {
            int length = src.remaining();
            switch (route.write()) {
                case LOCAL_RECORDED -> recorded(offset, length, () -> {
                    if (durable) {
                        disk.parts().local().writeDurable(offset, src);
                    } else {
                        disk.parts().local().write(offset, src);
                    }
                });
                case REPLICATED -> disk.fanOut().write(offset, src, durable);
                case ACTIVE_OVERLAY -> disk.parts().layers().activeWrite(offset, src);
                case REFUSED -> throw refused("write");
            }
        });
    }

    @Override
    public void writeZeroes(long offset, long length) throws IOException {
        routed(route -> {
            switch (route.write()) {
                case LOCAL_RECORDED -> recorded(offset, length, () -> disk.parts().local().writeZeroes(offset, length));
                case REPLICATED -> disk.fanOut().writeZeroes(offset, length);
                case ACTIVE_OVERLAY -> disk.parts().layers().activeWriteZeroes(offset, length);
                case REFUSED -> throw refused("write zeroes to");
            }
        });
    }

    @Override
    public void trim(long offset, long length) throws IOException {
        routed(route -> {
            switch (route.write()) {
                case LOCAL_RECORDED -> recorded(offset, length, () -> disk.parts().local().trim(offset, length));
                case REPLICATED -> disk.fanOut().trim(offset, length);
                case ACTIVE_OVERLAY -> {
                    // the secondary guest's view keeps its data: TRIM may leave old content
                }
                case REFUSED -> throw refused("trim");
            }
        });
    }

    @Override
    public void flush() throws IOException {
        routed(route -> {
            switch (route.write()) {
                case LOCAL_RECORDED -> disk.parts().local().flush();
                case REPLICATED -> disk.fanOut().flush();
                case ACTIVE_OVERLAY -> {
                    // the secondary guest's writes into A need no durability: A is emptied at each checkpoint and
                    // when the node restarts (a secondary is rebuilt from its primary), and a failover forces A
                    // before its commit refers to it
                }
                case REFUSED -> throw refused("flush");
            }
        });
    }

    /** Runs {@code request} with the route of the current stage, holding the gate's read side throughout. */
    private void routed(RoutedRequest request) throws IOException {
        Lock gate = disk.ioGate();
        gate.lock();
        try {
            request.run(disk.route());
        } finally {
            gate.unlock();
        }
    }

    /** A change that does not reach the peer: recorded as lacked (durably) first. */
    private void recorded(long offset, long length, IoAction change) throws IOException {
        disk.lacked().record(offset, length);
        change.run();
    }

    private IOException refused(String what) {
        return new IOException("cannot " + what + " disk " + disk.name() + " while it is " + disk.stage()
                + (disk.error().isPresent() ? " (" + disk.error().get() + ")" : ""));
    }

    @FunctionalInterface
    private interface RoutedRequest {
        void run(IoRoute route) throws IOException;
    }
}
