package dev.colo.nbd.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import org.junit.jupiter.api.Test;

class NbdEnumsTest {

    @Test
    void shouldRoundTripEveryWireValue() {
        for (NbdOption option : NbdOption.values()) {
            assertEquals(option, NbdOption.fromWire(option.wireValue()).orElseThrow());
        }
        for (NbdCommand command : NbdCommand.values()) {
            assertEquals(command, NbdCommand.fromWire(command.wireValue()).orElseThrow());
        }
        for (NbdOptionReply reply : NbdOptionReply.values()) {
            assertEquals(reply, NbdOptionReply.fromWire(reply.wireValue()).orElseThrow());
        }
        for (NbdError error : NbdError.values()) {
            assertEquals(error, NbdError.fromWire(error.wireValue()).orElseThrow());
        }
        assertTrue(NbdOption.fromWire(0).isEmpty());
        assertEquals("NBD_OPT_GO", NbdOption.nameOf(7));
        assertEquals("NBD_CMD_WRITE_ZEROES", NbdCommand.nameOf(6));
        assertTrue(NbdOptionReply.ERR_UNSUP.isError() && !NbdOptionReply.ACK.isError());
    }

    @Test
    void shouldMapFailuresToErrnoInOnePlace() {
        assertEquals(NbdError.EIO, NbdError.fromFailure(new IOException("Input/output error")));
        assertEquals(NbdError.ENOSPC, NbdError.fromFailure(new IOException("No space left on device")));
        assertEquals(NbdError.EPERM, NbdError.fromFailure(new NonWritableChannelException()));
        assertEquals(NbdError.ESHUTDOWN, NbdError.fromFailure(new ClosedChannelException()));
        assertEquals(NbdError.EINVAL, NbdError.fromFailure(new IllegalArgumentException("range")));
        assertEquals(NbdError.EINVAL, NbdError.fromFailure(new EOFException()));
        assertEquals(NbdError.ENOMEM, NbdError.fromFailure(new OutOfMemoryError()));
        assertEquals(NbdError.ENOTSUP, NbdError.fromFailure(new UnsupportedOperationException()));
    }
}
