package dev.colo.nbd.client;

import dev.colo.nbd.protocol.NbdCommand;
import dev.colo.nbd.protocol.NbdError;
import java.util.Optional;

/** The server answered one request with an error; the connection stays usable. */
public final class NbdCommandException extends Exception {
    private static final long serialVersionUID = 1L;

    private final NbdCommand command;
    private final long offset;
    private final long length;
    private final int errno;

    public NbdCommandException(NbdCommand command, long offset, long length, int errno, String serverMessage) {
        super("NBD_CMD_" + command + " offset=" + offset + " length=" + length + " failed: "
                + NbdError.fromWire(errno).map(Enum::name).orElse("errno " + errno)
                + (serverMessage == null || serverMessage.isEmpty() ? "" : " (server: " + serverMessage + ")"));
        this.command = command;
        this.offset = offset;
        this.length = length;
        this.errno = errno;
    }

    public NbdCommand command() {
        return command;
    }

    public long offset() {
        return offset;
    }

    public long length() {
        return length;
    }

    /** The error as the server sent it; empty for a value outside {@link NbdError}. */
    public Optional<NbdError> error() {
        return NbdError.fromWire(errno);
    }

    public int errno() {
        return errno;
    }
}
