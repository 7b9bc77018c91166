package dev.colo.api.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionHeaderTest {
    private static final ConnectionHeader V4 = new ConnectionHeader(42, new InetSocketAddress("192.0.2.7", 51234),
            new InetSocketAddress("127.0.0.1", 6379), false);

    @Test
    void aHeaderIsReadBackWholeAndLeavesWhatFollows() {
        for (ConnectionHeader header : new ConnectionHeader[] {V4,
            new ConnectionHeader(Long.MAX_VALUE, new InetSocketAddress("2001:db8::1", 1),
                    new InetSocketAddress("::1", 65535), true)}) {
            byte[] bytes = header.encode();
            ByteBuffer in = ByteBuffer.allocate(bytes.length + 5).put(bytes).put("*1\r\n".getBytes()).flip();
            assertEquals(Optional.of(header), ConnectionHeader.read(in));
            assertEquals('*', in.get(), "left at the first byte after the header");
        }
    }

    /** As the standard's own parsers do: a header split anywhere is read once whole, nothing consumed before. */
    @Test
    void aHeaderInPiecesIsReadOnceWhole() {
        byte[] bytes = V4.encode();
        for (int cut = 0; cut < bytes.length; cut++) {
            ByteBuffer part = ByteBuffer.wrap(Arrays.copyOf(bytes, cut));
            assertEquals(Optional.empty(), ConnectionHeader.read(part), "after " + cut + " bytes");
            assertEquals(0, part.position());
        }
    }

    @Test
    void aClientsOwnBytesAreToldApartFromAHeaderByItsSignature() {
        assertTrue(ConnectionHeader.mayStart(ByteBuffer.wrap(new byte[] {0x0D, 0x0A})), "too short to tell");
        assertTrue(ConnectionHeader.mayStart(ByteBuffer.wrap(V4.encode())));
        assertFalse(ConnectionHeader.mayStart(ByteBuffer.wrap("\r\n*1\r\n$4\r\nPING\r\n".getBytes())));
        assertFalse(ConnectionHeader.mayStart(ByteBuffer.wrap("*1\r\n".getBytes())));
    }

    @Test
    void whatIsNotSuchAHeaderIsRefusedWithWhatIsWrong() {
        assertRefused("*1\r\n$4\r\nPING\r\n".getBytes(), "does not start with a PROXY protocol v2 header");
        byte[] local = V4.encode();
        local[12] = 0x20;
        assertRefused(local, "version/command 0x20");
        byte[] unix = V4.encode();
        unix[13] = 0x31;
        assertRefused(unix, "address family 0x31");
        byte[] huge = V4.encode();
        huge[14] = 0x10;
        assertRefused(huge, "at most 256");
        byte[] noId = V4.encode();
        noId[28] = (byte) 0xE1; // the TLV of another type
        assertRefused(noId, "without a connection id");
        byte[] badVersion = V4.encode();
        badVersion[31] = 2;
        assertRefused(badVersion, "version 2");
    }

    private static void assertRefused(byte[] bytes, String expected) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ConnectionHeader.read(ByteBuffer.wrap(bytes)));
        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    }
}
