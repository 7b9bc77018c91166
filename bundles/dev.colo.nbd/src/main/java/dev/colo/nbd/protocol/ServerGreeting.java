package dev.colo.nbd.protocol;

import java.nio.ByteBuffer;

/** The first bytes of a newstyle server: NBDMAGIC, IHAVEOPT and the 16-bit handshake flags. */
public record ServerGreeting(int handshakeFlags) implements ServerMessage {

    /** Our greeting: fixed newstyle, zero padding may be omitted. */
    public static ServerGreeting fixedNewstyle() {
        return new ServerGreeting(NbdConstants.FLAG_FIXED_NEWSTYLE | NbdConstants.FLAG_NO_ZEROES);
    }

    @Override
    public ByteBuffer encode() {
        ByteBuffer out = ByteBuffer.allocate(NbdConstants.GREETING_BYTES);
        out.putLong(NbdConstants.NBDMAGIC).putLong(NbdConstants.IHAVEOPT).putShort((short) handshakeFlags);
        return out.flip();
    }
}
