package dev.colo.nbd.protocol;

import java.util.Optional;

/**
 * Decides whether a decoded request may be executed, before and apart from executing it (nbdkit's
 * split of validation and handling). The answer is the NBD error to reply with, or empty. Framing
 * errors never reach here: the decoder has already closed the connection for those.
 */
public final class RequestValidator {
    private final ExportInfo export;

    public RequestValidator(ExportInfo export) {
        this.export = export;
    }

    public Optional<NbdError> validate(NbdRequest request, Negotiated negotiated) {
        Optional<NbdCommand> known = request.command();
        if (known.isEmpty()) {
            return Optional.of(NbdError.EINVAL);
        }
        NbdCommand command = known.get();
        if ((request.flags() & ~allowedFlags(command, negotiated)) != 0) {
            return Optional.of(NbdError.EINVAL);
        }
        switch (command) {
            case DISC:
            case FLUSH:
                return Optional.empty();
            case CACHE:
            case RESIZE:
                return Optional.of(NbdError.EINVAL); // not advertised
            default:
                break;
        }
        if (command.modifies() && export.readOnly()) {
            return Optional.of(NbdError.EPERM);
        }
        if (command == NbdCommand.BLOCK_STATUS && !negotiated.baseAllocation()) {
            return Optional.of(NbdError.EINVAL); // no metadata context was selected
        }
        long length = request.lengthUnsigned();
        if (length == 0) {
            return Optional.of(NbdError.EINVAL);
        }
        if (command == NbdCommand.READ && length > export.maxBlockBytes()) {
            return Optional.of(negotiated.structuredReplies() ? NbdError.EOVERFLOW : NbdError.EINVAL);
        }
        if (!withinExport(request.offset(), length)) {
            return Optional.of(NbdError.EINVAL);
        }
        return Optional.empty();
    }

    /** Whether [offset, offset + length) lies inside the export; offset is unsigned on the wire. */
    boolean withinExport(long offset, long length) {
        long size = export.sizeBytes();
        return offset >= 0 && length <= size && offset <= size - length;
    }

    private static int allowedFlags(NbdCommand command, Negotiated negotiated) {
        return switch (command) {
            case READ -> negotiated.structuredReplies() ? NbdConstants.CMD_FLAG_DF : 0;
            case WRITE, TRIM -> NbdConstants.CMD_FLAG_FUA;
            case WRITE_ZEROES -> NbdConstants.CMD_FLAG_FUA | NbdConstants.CMD_FLAG_NO_HOLE;
            case BLOCK_STATUS -> NbdConstants.CMD_FLAG_REQ_ONE;
            default -> 0;
        };
    }
}
