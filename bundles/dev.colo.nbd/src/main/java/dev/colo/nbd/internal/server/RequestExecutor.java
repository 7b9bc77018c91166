package dev.colo.nbd.internal.server;

import dev.colo.api.storage.BlockDevice;
import dev.colo.nbd.protocol.NbdCommand;
import dev.colo.nbd.protocol.NbdConstants;
import dev.colo.nbd.protocol.NbdError;
import dev.colo.nbd.protocol.NbdRequest;
import dev.colo.nbd.protocol.Negotiated;
import dev.colo.nbd.protocol.ServerMessage;
import dev.colo.nbd.protocol.SimpleReply;
import dev.colo.nbd.protocol.StructuredReplyChunk;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes validated requests against an export's device and builds their replies. READ and
 * BLOCK_STATUS answer with structured replies when those were negotiated, every other command with a
 * simple reply (which the spec allows). Failures become NBD errors through {@link NbdError#fromFailure}.
 */
public final class RequestExecutor {
    private static final Logger logger = LoggerFactory.getLogger(RequestExecutor.class);

    private final NbdExport export;

    public RequestExecutor(NbdExport export) {
        this.export = export;
    }

    /** Runs a request that passed validation; never throws. DISC has no reply and must not come here. */
    public ServerMessage execute(NbdRequest request, Negotiated negotiated) {
        NbdCommand command = request.command().orElseThrow();
        BlockDevice device = export.device();
        try {
            long length = request.lengthUnsigned();
            export.counters().request(command, command == NbdCommand.FLUSH ? 0 : length);
            switch (command) {
                case READ -> {
                    ByteBuffer data = ByteBuffer.allocate((int) length);
                    device.read(request.offset(), data);
                    data.flip();
                    return negotiated.structuredReplies()
                            ? StructuredReplyChunk.offsetData(request.handle(), request.offset(), data)
                            : SimpleReply.ok(request.handle(), data);
                }
                case WRITE -> {
                    if (request.hasFlag(NbdConstants.CMD_FLAG_FUA)) {
                        device.writeDurable(request.offset(), request.payload());
                        return SimpleReply.ok(request.handle()); // one operation: a replicated disk's one round trip
                    }
                    device.write(request.offset(), request.payload());
                }
                case FLUSH -> device.flush();
                case TRIM -> device.trim(request.offset(), length);
                case WRITE_ZEROES -> device.writeZeroes(request.offset(), length);
                case BLOCK_STATUS -> {
                    // no allocation map is kept: the whole range is reported as allocated data (flags 0)
                    return StructuredReplyChunk.blockStatus(request.handle(), NbdConstants.META_BASE_ALLOCATION_ID,
                            new long[] {length}, new int[] {0});
                }
                default -> throw new IllegalStateException(command + " passed validation but is not executable");
            }
            if (request.hasFlag(NbdConstants.CMD_FLAG_FUA)) {
                device.flush();
            }
            return SimpleReply.ok(request.handle());
        } catch (Exception | OutOfMemoryError e) {
            NbdError error = NbdError.fromFailure(e);
            logger.warn("Export {}: {} failed with {}: {}", export.name(), request, error, e.toString());
            return errorReply(request, error, negotiated);
        }
    }

    /** The error reply to a request, in the reply style its command uses; counted as an error. */
    public ServerMessage errorReply(NbdRequest request, NbdError error, Negotiated negotiated) {
        export.counters().errorReply();
        boolean structured = negotiated.structuredReplies()
                && (request.type() == NbdCommand.READ.wireValue()
                        || request.type() == NbdCommand.BLOCK_STATUS.wireValue());
        return structured ? StructuredReplyChunk.error(request.handle(), error)
                : SimpleReply.error(request.handle(), error);
    }
}
