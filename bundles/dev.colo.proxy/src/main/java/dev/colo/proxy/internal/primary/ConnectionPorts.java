package dev.colo.proxy.internal.primary;

import dev.colo.api.checkpoint.CheckpointReason;
import java.nio.ByteBuffer;

/** What a primary connection talks to, as interfaces, so that its logic is tested without sockets. */
public final class ConnectionPorts {
    private ConnectionPorts() {
    }

    /** The client's connection. */
    public interface Client {
        /** Sends bytes to the client (they are the client's now; the caller does not reuse them). */
        void send(ByteBuffer data);

        /** Ends the output to the client. */
        void close();
    }

    /** The connection to this node's guest. */
    public interface Guest {
        void send(ByteBuffer data);

        /** The client is gone: closes the guest's connection once what was sent is written. */
        void close();

        /** The client ended its input but still reads: ends the guest's input (a FIN), its output goes on. */
        void endInput();

        /** Stops reading the guest's output until {@link #resumeOutput()} (back-pressure: TCP slows the guest). */
        void pauseOutput();

        void resumeOutput();
    }

    /** Where checkpoints are asked for (the coordinator, through {@code CheckpointRequests}). */
    public interface Checkpoints {
        void request(CheckpointReason reason, String detail);
    }
}
