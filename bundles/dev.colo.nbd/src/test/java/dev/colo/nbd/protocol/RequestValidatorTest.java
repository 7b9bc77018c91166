package dev.colo.nbd.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {
    private static final long SIZE = 1 << 20;
    private static final Negotiated SIMPLE = Negotiated.NOTHING;
    private static final Negotiated STRUCTURED = new Negotiated(true, true);
    private final RequestValidator readWrite = new RequestValidator(ExportInfo.of("rw", SIZE, false));
    private final RequestValidator readOnly = new RequestValidator(ExportInfo.of("ro", SIZE, true));

    private static NbdRequest request(int flags, NbdCommand command, long offset, int length) {
        return new NbdRequest(flags, command.wireValue(), 1, offset, length);
    }

    private static Optional<NbdError> ok() {
        return Optional.empty();
    }

    private static Optional<NbdError> error(NbdError error) {
        return Optional.of(error);
    }

    @Test
    void shouldAcceptRequestsInsideTheExport() {
        assertEquals(ok(), readWrite.validate(request(0, NbdCommand.READ, 0, (int) SIZE), SIMPLE));
        assertEquals(ok(), readWrite.validate(request(NbdConstants.CMD_FLAG_FUA, NbdCommand.WRITE, SIZE - 1, 1), SIMPLE));
        assertEquals(ok(), readWrite.validate(request(NbdConstants.CMD_FLAG_NO_HOLE | NbdConstants.CMD_FLAG_FUA,
                NbdCommand.WRITE_ZEROES, 0, 4096), SIMPLE));
        assertEquals(ok(), readWrite.validate(request(0, NbdCommand.FLUSH, 0, 0), SIMPLE));
        assertEquals(ok(), readWrite.validate(request(0, NbdCommand.DISC, 0, 0), SIMPLE));
        assertEquals(ok(), readWrite.validate(request(NbdConstants.CMD_FLAG_DF, NbdCommand.READ, 0, 1), STRUCTURED));
        assertEquals(ok(), readWrite.validate(request(NbdConstants.CMD_FLAG_REQ_ONE, NbdCommand.BLOCK_STATUS, 0, 1),
                STRUCTURED));
        assertEquals(ok(), readOnly.validate(request(0, NbdCommand.READ, 0, 1), SIMPLE));
    }

    @Test
    void shouldRefuseRangesOutsideTheExportWithEinval() {
        assertEquals(error(NbdError.EINVAL), readWrite.validate(request(0, NbdCommand.READ, SIZE, 1), SIMPLE));
        assertEquals(error(NbdError.EINVAL), readWrite.validate(request(0, NbdCommand.READ, SIZE - 1, 2), SIMPLE));
        assertEquals(error(NbdError.EINVAL), readWrite.validate(request(0, NbdCommand.WRITE, -4096, 4096), SIMPLE));
        assertEquals(error(NbdError.EINVAL),
                readWrite.validate(request(0, NbdCommand.TRIM, Long.MAX_VALUE, Integer.MAX_VALUE), SIMPLE));
        assertEquals(error(NbdError.EINVAL), readWrite.validate(request(0, NbdCommand.WRITE_ZEROES, 0, 0), SIMPLE));
        assertEquals(error(NbdError.EINVAL), readWrite.validate(request(0, NbdCommand.READ, 0, 0), SIMPLE));
    }

    @Test
    void shouldRefuseModificationsOfAReadOnlyExportWithEperm() {
        for (NbdCommand command : new NbdCommand[] {NbdCommand.WRITE, NbdCommand.TRIM, NbdCommand.WRITE_ZEROES}) {
            assertEquals(error(NbdError.EPERM), readOnly.validate(request(0, command, 0, 1), SIMPLE), command.name());
        }
        assertEquals(ok(), readOnly.validate(request(0, NbdCommand.FLUSH, 0, 0), SIMPLE));
    }

    @Test
    void shouldRefuseOversizedReadsUnknownCommandsAndForeignFlags() {
        int tooLong = NbdConstants.MAX_PAYLOAD_BYTES + 1;
        RequestValidator big = new RequestValidator(ExportInfo.of("big", 1L << 40, false));
        assertEquals(error(NbdError.EINVAL), big.validate(request(0, NbdCommand.READ, 0, tooLong), SIMPLE));
        assertEquals(error(NbdError.EOVERFLOW), big.validate(request(0, NbdCommand.READ, 0, tooLong), STRUCTURED));
        assertEquals(error(NbdError.EINVAL),
                readWrite.validate(new NbdRequest(0, 200, 1, 0, 1), SIMPLE));
        assertEquals(error(NbdError.EINVAL), readWrite.validate(request(0, NbdCommand.CACHE, 0, 1), SIMPLE));
        assertEquals(error(NbdError.EINVAL),
                readWrite.validate(request(NbdConstants.CMD_FLAG_DF, NbdCommand.READ, 0, 1), SIMPLE));
        assertEquals(error(NbdError.EINVAL),
                readWrite.validate(request(NbdConstants.CMD_FLAG_NO_HOLE, NbdCommand.WRITE, 0, 1), SIMPLE));
        assertEquals(error(NbdError.EINVAL),
                readWrite.validate(request(NbdConstants.CMD_FLAG_FAST_ZERO, NbdCommand.WRITE_ZEROES, 0, 1), SIMPLE));
        assertEquals(error(NbdError.EINVAL), readWrite.validate(request(0, NbdCommand.BLOCK_STATUS, 0, 1),
                new Negotiated(true, false)));
    }
}
