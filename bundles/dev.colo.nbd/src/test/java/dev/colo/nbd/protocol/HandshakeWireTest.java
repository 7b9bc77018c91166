package dev.colo.nbd.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.protocol.HandshakeWire.MalformedOptionException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeWireTest {

    /** Feeds {@code wire} one byte at a time into a growing buffer, as a slow network would. */
    private static OptionRequest decodeByteByByte(byte[] wire) throws NbdProtocolException {
        ByteBuffer buffer = ByteBuffer.allocate(wire.length);
        buffer.flip();
        for (int i = 0; i < wire.length; i++) {
            buffer.limit(i + 1);
            buffer.put(i, wire[i]);
            OptionRequest option = HandshakeWire.decodeOption(buffer, NbdConstants.MAX_OPTION_BYTES);
            if (i < wire.length - 1) {
                assertNull(option, "complete after " + (i + 1) + " of " + wire.length + " bytes?");
                assertEquals(0, buffer.position(), "nothing consumed before the option is complete");
            } else {
                assertEquals(wire.length, buffer.position());
                return option;
            }
        }
        throw new AssertionError("empty input");
    }

    private static byte[] option(int code, byte[] data) {
        return ByteBuffer.allocate(16 + data.length).putLong(NbdConstants.IHAVEOPT).putInt(code).putInt(data.length)
                .put(data).array();
    }

    @Test
    void shouldEncodeTheGreetingAsTheSpecSays() {
        byte[] greeting = new byte[18];
        ServerGreeting.fixedNewstyle().encode().get(greeting);
        assertEquals("4e42444d41474943" + "49484156454f5054" + "0003", HexFormat.of().formatHex(greeting));
        assertEquals("NBDMAGIC", new String(greeting, 0, 8, StandardCharsets.US_ASCII));
    }

    @Test
    void shouldDecodeClientFlagsOnlyWhenAllFourBytesArrived() {
        ByteBuffer in = ByteBuffer.wrap(new byte[] {0, 0, 0, 3});
        in.limit(3);
        assertNull(HandshakeWire.decodeClientFlags(in));
        in.limit(4);
        ClientFlags flags = HandshakeWire.decodeClientFlags(in);
        assertTrue(flags.fixedNewstyle() && flags.noZeroes());
        assertEquals(0, flags.unknownBits());
        assertEquals(4, new ClientFlags(6).unknownBits());
    }

    @Test
    void shouldDecodeAnOptionFedByteByByte() throws Exception {
        byte[] data = RawData.info("disk0", NbdConstants.INFO_BLOCK_SIZE);
        OptionRequest option = decodeByteByByte(option(NbdOption.GO.wireValue(), data));
        assertEquals(NbdOption.GO, option.known().orElseThrow());
        assertArrayEquals(data, option.data());
        assertTrue(option.mayEndHandshake());
        OptionRequest empty = decodeByteByByte(option(NbdOption.STRUCTURED_REPLY.wireValue(), new byte[0]));
        assertEquals(0, empty.data().length);
        assertEquals("NBD_OPT_UNKNOWN(99)[0 bytes]", decodeByteByByte(option(99, new byte[0])).toString());
    }

    @Test
    void shouldRefuseAnOptionLongerThanTheMaximumBeforeItsDataArrives() {
        ByteBuffer header = ByteBuffer.allocate(16).putLong(NbdConstants.IHAVEOPT).putInt(7).putInt(0x7fffffff).flip();
        NbdProtocolException e = assertThrows(NbdProtocolException.class,
                () -> HandshakeWire.decodeOption(header, NbdConstants.MAX_OPTION_BYTES));
        assertTrue(e.getMessage().contains("NBD_OPT_GO"), e.getMessage());
    }

    @Test
    void shouldRefuseAnOptionWithoutIhaveopt() {
        ByteBuffer header = ByteBuffer.allocate(16).putLong(NbdConstants.NBDMAGIC).putInt(7).putInt(0).flip();
        assertThrows(NbdProtocolException.class, () -> HandshakeWire.decodeOption(header, 100));
    }

    @Test
    void shouldParseInfoAndMetaContextDataAndRefuseMalformedData() throws Exception {
        HandshakeWire.InfoRequest info = HandshakeWire.parseInfoRequest(RawData.info("d", 3, 1));
        assertEquals("d", info.exportName());
        assertEquals(List.of(3, 1), info.infoTypes());
        assertThrows(MalformedOptionException.class, () -> HandshakeWire.parseInfoRequest(new byte[] {0, 0, 0, 5}));
        assertThrows(MalformedOptionException.class,
                () -> HandshakeWire.parseInfoRequest(new byte[] {0, 0, 0, 0, 0, 2, 0, 1}));
        assertThrows(MalformedOptionException.class,
                () -> HandshakeWire.parseInfoRequest(new byte[] {(byte) 0xff, 0, 0, 0, 0, 0}));

        byte[] meta = ByteBuffer.allocate(4 + 1 + 4 + 4 + 15).putInt(1).put((byte) 'd').putInt(1).putInt(15)
                .put("base:allocation".getBytes(StandardCharsets.UTF_8)).array();
        HandshakeWire.MetaContextRequest request = HandshakeWire.parseMetaContextRequest(meta);
        assertEquals(List.of("base:allocation"), request.queries());
        byte[] lying = meta.clone();
        lying[8] = 2; // two queries announced, one present
        assertThrows(MalformedOptionException.class, () -> HandshakeWire.parseMetaContextRequest(lying));
        assertThrows(MalformedOptionException.class,
                () -> HandshakeWire.parseExportName(new byte[] {(byte) 0xc3, (byte) 0x28}));
    }

    @Test
    void shouldEncodeOptionRepliesAndTheExportNameReply() {
        ExportInfo export = ExportInfo.of("disk0", 1 << 20, true);
        ByteBuffer reply = OptionReply.infoExport(NbdOption.GO.wireValue(), export, export.transmissionFlags(false))
                .encode();
        assertEquals(NbdConstants.OPTION_REPLY_MAGIC, reply.getLong());
        assertEquals(7, reply.getInt());
        assertEquals(NbdOptionReply.INFO.wireValue(), reply.getInt());
        assertEquals(12, reply.getInt());
        assertEquals(NbdConstants.INFO_EXPORT, reply.getShort());
        assertEquals(1 << 20, reply.getLong());
        int flags = reply.getShort();
        assertEquals(NbdConstants.FLAG_READ_ONLY, flags & NbdConstants.FLAG_READ_ONLY);
        assertEquals(0, flags & NbdConstants.FLAG_SEND_DF);

        assertEquals(0x80000001, OptionReply.error(5, NbdOptionReply.ERR_UNSUP).encode().getInt(12));
        assertEquals(8 + 2 + 124, new ExportNameReply(1, 1, false).encode().remaining());
        assertEquals(8 + 2, new ExportNameReply(1, 1, true).encode().remaining());
    }

    /** Option data builders. */
    static final class RawData {
        static byte[] info(String name, int... types) {
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            ByteBuffer data = ByteBuffer.allocate(4 + bytes.length + 2 + 2 * types.length).putInt(bytes.length)
                    .put(bytes).putShort((short) types.length);
            for (int type : types) {
                data.putShort((short) type);
            }
            return data.array();
        }
    }

    @Test
    void shouldDecodeOptionsOneAfterAnotherFromOneBuffer() throws Exception {
        byte[] first = option(NbdOption.LIST.wireValue(), new byte[0]);
        byte[] second = option(NbdOption.ABORT.wireValue(), new byte[0]);
        ByteBuffer both = ByteBuffer.allocate(first.length + second.length).put(first).put(second).flip();
        assertEquals(NbdOption.LIST.wireValue(), HandshakeWire.decodeOption(both, 100).option());
        assertNotNull(HandshakeWire.decodeOption(both, 100));
        assertEquals(0, both.remaining());
    }
}
