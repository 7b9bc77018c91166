package dev.colo.nbd.internal.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.protocol.ExportNameReply;
import dev.colo.nbd.protocol.NbdOption;
import dev.colo.nbd.protocol.NbdOptionReply;
import dev.colo.nbd.protocol.OptionReply;
import dev.colo.nbd.protocol.OptionRequest;
import dev.colo.nbd.protocol.ServerMessage;
import dev.colo.storage.FileBlockDevice;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Option haggling in memory, without any network. */
class OptionNegotiatorTest {
    @TempDir
    Path dir;
    private FileBlockDevice store;
    private NbdExport export;

    @BeforeEach
    void open() throws Exception {
        store = FileBlockDevice.open(dir.resolve("d.img"), 4096, false);
        export = new NbdExport("d", store);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    private static OptionRequest option(NbdOption option, byte[] data) {
        return new OptionRequest(option.wireValue(), data);
    }

    private static byte[] info(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + bytes.length + 2).putInt(bytes.length).put(bytes).putShort((short) 0).array();
    }

    private static NbdOptionReply only(OptionNegotiator.Outcome outcome) {
        assertEquals(1, outcome.replies().size(), outcome.toString());
        return ((OptionReply) outcome.replies().get(0)).type();
    }

    @Test
    void shouldRefuseEverythingButStartTlsAndAbortUntilRequiredTlsIsUp() {
        OptionNegotiator negotiator = new OptionNegotiator(export, TlsMode.REQUIRED);
        assertEquals(NbdOptionReply.ERR_TLS_REQD, only(negotiator.handle(option(NbdOption.GO, info("d")))));
        assertEquals(NbdOptionReply.ERR_TLS_REQD, only(negotiator.handle(option(NbdOption.LIST, new byte[0]))));
        assertEquals(OptionNegotiator.Next.CLOSE,
                negotiator.handle(option(NbdOption.EXPORT_NAME, "d".getBytes(StandardCharsets.UTF_8))).next());
        OptionNegotiator.Outcome start = negotiator.handle(option(NbdOption.STARTTLS, new byte[0]));
        assertEquals(OptionNegotiator.Next.START_TLS, start.next());
        assertEquals(NbdOptionReply.ACK, only(start));
        negotiator.tlsStarted();
        assertEquals(NbdOptionReply.ERR_INVALID, only(negotiator.handle(option(NbdOption.STARTTLS, new byte[0]))));
        OptionNegotiator.Outcome go = negotiator.handle(option(NbdOption.GO, info("d")));
        assertEquals(OptionNegotiator.Next.TRANSMISSION, go.next());
    }

    @Test
    void shouldAnswerStartTlsUnsupportedWithoutKeyMaterial() {
        OptionNegotiator negotiator = new OptionNegotiator(export, TlsMode.NONE);
        assertEquals(NbdOptionReply.ERR_UNSUP, only(negotiator.handle(option(NbdOption.STARTTLS, new byte[0]))));
        assertEquals(NbdOptionReply.ERR_UNSUP, only(negotiator.handle(new OptionRequest(12345, new byte[7]))));
        assertEquals(OptionNegotiator.Next.OPTIONS, negotiator.handle(new OptionRequest(12345, new byte[0])).next());
    }

    @Test
    void shouldSelectBaseAllocationOnlyWhenAskedAndReplaceEarlierSelections() {
        OptionNegotiator negotiator = new OptionNegotiator(export);
        negotiator.handle(option(NbdOption.STRUCTURED_REPLY, new byte[0]));
        byte[] query = ByteBuffer.allocate(4 + 1 + 4 + 4 + 15).putInt(1).put((byte) 'd').putInt(1).putInt(15)
                .put("base:allocation".getBytes(StandardCharsets.UTF_8)).array();
        assertEquals(2, negotiator.handle(option(NbdOption.SET_META_CONTEXT, query)).replies().size());
        assertTrue(negotiator.negotiated().baseAllocation());
        byte[] none = ByteBuffer.allocate(4 + 1 + 4).putInt(1).put((byte) 'd').putInt(0).array();
        List<ServerMessage> replies = negotiator.handle(option(NbdOption.SET_META_CONTEXT, none)).replies();
        assertEquals(1, replies.size());
        assertFalse(negotiator.negotiated().baseAllocation());
        assertTrue(negotiator.negotiated().structuredReplies());
    }

    @Test
    void shouldAcceptTheDefaultExportNameAndOmitZeroesWhenAgreed() {
        OptionNegotiator negotiator = new OptionNegotiator(export);
        negotiator.clientFlags(new dev.colo.nbd.protocol.ClientFlags(3));
        OptionNegotiator.Outcome outcome = negotiator.handle(option(NbdOption.EXPORT_NAME, new byte[0]));
        assertEquals(OptionNegotiator.Next.TRANSMISSION, outcome.next());
        ExportNameReply reply = assertInstanceOf(ExportNameReply.class, outcome.replies().get(0));
        assertTrue(reply.noZeroes());
        assertEquals(4096, reply.sizeBytes());
    }
}
