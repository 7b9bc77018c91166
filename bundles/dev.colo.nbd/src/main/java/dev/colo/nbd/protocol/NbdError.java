package dev.colo.nbd.protocol;

import java.io.EOFException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.util.Locale;
import java.util.Optional;

/**
 * Error values of NBD replies ({@code NBD_E*}; the Linux errno numbers, whatever the host) and the
 * one place where a failure of the backing store becomes one of them.
 */
public enum NbdError {
    /** {@code NBD_EPERM}: operation not permitted (write to a read-only export). */
    EPERM(NbdConstants.EPERM),
    /** {@code NBD_EIO}: input/output error of the backing store. */
    EIO(NbdConstants.EIO),
    /** {@code NBD_ENOMEM}: out of memory. */
    ENOMEM(NbdConstants.ENOMEM),
    /** {@code NBD_EINVAL}: invalid request (range, flags, unknown command). */
    EINVAL(NbdConstants.EINVAL),
    /** {@code NBD_ENOSPC}: no space left for a write. */
    ENOSPC(NbdConstants.ENOSPC),
    /** {@code NBD_EOVERFLOW}: request too large for the reply (structured replies only). */
    EOVERFLOW(NbdConstants.EOVERFLOW),
    /** {@code NBD_ENOTSUP}: operation not supported. */
    ENOTSUP(NbdConstants.ENOTSUP),
    /** {@code NBD_ESHUTDOWN}: the server is shutting down. */
    ESHUTDOWN(NbdConstants.ESHUTDOWN);

    private final int wireValue;

    NbdError(int wireValue) {
        this.wireValue = wireValue;
    }

    public int wireValue() {
        return wireValue;
    }

    public static Optional<NbdError> fromWire(int value) {
        for (NbdError error : values()) {
            if (error.wireValue == value) {
                return Optional.of(error);
            }
        }
        return Optional.empty();
    }

    /**
     * The errno reported to the client for a failure while executing a request. Java has no errno, so
     * the exception type and, for plain {@link java.io.IOException}s, the message decide.
     */
    public static NbdError fromFailure(Throwable failure) {
        if (failure instanceof OutOfMemoryError) {
            return ENOMEM;
        }
        if (failure instanceof NonWritableChannelException || failure instanceof SecurityException) {
            return EPERM;
        }
        if (failure instanceof ClosedChannelException) {
            return ESHUTDOWN;
        }
        if (failure instanceof UnsupportedOperationException) {
            return ENOTSUP;
        }
        if (failure instanceof IllegalArgumentException || failure instanceof EOFException) {
            return EINVAL;
        }
        String message = failure.getMessage() == null ? "" : failure.getMessage().toLowerCase(Locale.ROOT);
        if (message.contains("no space left") || message.contains("disk quota")) {
            return ENOSPC;
        }
        return EIO;
    }
}
