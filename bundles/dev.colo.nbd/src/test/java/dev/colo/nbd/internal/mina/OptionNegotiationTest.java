package dev.colo.nbd.internal.mina;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.protocol.NbdCommand;
import dev.colo.nbd.protocol.NbdConstants;
import dev.colo.nbd.protocol.NbdOption;
import dev.colo.nbd.protocol.NbdOptionReply;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixed newstyle handshake over a real socket, option by option. */
class OptionNegotiationTest {
    private static final long SIZE = 1024 * 1024;
    private static final int C_FLAGS = NbdConstants.FLAG_C_FIXED_NEWSTYLE | NbdConstants.FLAG_C_NO_ZEROES;

    @TempDir
    Path dir;
    private RunningExport export;

    @BeforeEach
    void start() throws Exception {
        export = RunningExport.start(dir, "disk0", SIZE);
    }

    @AfterEach
    void stop() throws Exception {
        export.close();
    }

    private static void assertReply(RawNbdClient.Reply reply, NbdOption option, NbdOptionReply type) {
        assertEquals(NbdConstants.OPTION_REPLY_MAGIC, reply.magic(), "reply magic");
        assertEquals(option.wireValue(), reply.option(), "answered option");
        assertEquals(type, reply.replyType());
    }

    /** A READ of 4 bytes at 0 must work: the connection is in transmission. */
    private static void assertTransmits(RawNbdClient client) throws Exception {
        client.sendRequest(0, NbdCommand.READ.wireValue(), 99, 0, 4, null);
        RawNbdClient.TransmissionReply reply = client.readTransmissionReply(4);
        assertEquals(0, reply.error());
        assertEquals(99, reply.handle());
    }

    @Test
    void shouldGreetWithFixedNewstyleAndNoZeroes() throws Exception {
        try (RawNbdClient client = new RawNbdClient(export.port())) {
            int flags = client.handshake(C_FLAGS);
            assertEquals(NbdConstants.FLAG_FIXED_NEWSTYLE | NbdConstants.FLAG_NO_ZEROES, flags);
        }
    }

    @Test
    void shouldDescribeTheExportOnGoAndEnterTransmission() throws Exception {
        try (RawNbdClient client = new RawNbdClient(export.port())) {
            client.handshake(C_FLAGS);
            client.sendOption(NbdOption.GO, RawNbdClient.infoData("disk0", NbdConstants.INFO_BLOCK_SIZE,
                    NbdConstants.INFO_NAME));
            List<RawNbdClient.Reply> replies = client.readReplies();
            assertEquals(4, replies.size(), replies.toString());
            ByteBuffer exportInfo = ByteBuffer.wrap(replies.get(0).data());
            assertReply(replies.get(0), NbdOption.GO, NbdOptionReply.INFO);
            assertEquals(NbdConstants.INFO_EXPORT, exportInfo.getShort());
            assertEquals(SIZE, exportInfo.getLong());
            int flags = exportInfo.getShort() & 0xffff;
            assertEquals(0, flags & NbdConstants.FLAG_READ_ONLY);
            assertTrue((flags & NbdConstants.FLAG_SEND_FLUSH) != 0 && (flags & NbdConstants.FLAG_SEND_FUA) != 0
                    && (flags & NbdConstants.FLAG_CAN_MULTI_CONN) != 0 && (flags & NbdConstants.FLAG_HAS_FLAGS) != 0);
            ByteBuffer blockSize = ByteBuffer.wrap(replies.get(1).data());
            assertEquals(NbdConstants.INFO_BLOCK_SIZE, blockSize.getShort());
            assertEquals(1, blockSize.getInt());
            assertEquals(4096, blockSize.getInt());
            assertEquals(32 * 1024 * 1024, blockSize.getInt());
            assertEquals(NbdConstants.INFO_NAME, ByteBuffer.wrap(replies.get(2).data()).getShort());
            assertReply(replies.get(3), NbdOption.GO, NbdOptionReply.ACK);
            assertTransmits(client);
        }
    }

    @Test
    void shouldStayInNegotiationAfterInfo() throws Exception {
        try (RawNbdClient client = new RawNbdClient(export.port())) {
            client.handshake(C_FLAGS);
            client.sendOption(NbdOption.INFO, RawNbdClient.infoData("disk0"));
            List<RawNbdClient.Reply> replies = client.readReplies();
            assertReply(replies.get(replies.size() - 1), NbdOption.INFO, NbdOptionReply.ACK);
            client.goAfterHandshake("disk0");
            assertTransmits(client);
        }
    }

    @Test
    void shouldListTheExport() throws Exception {
        try (RawNbdClient client = new RawNbdClient(export.port())) {
            client.handshake(C_FLAGS);
            client.sendOption(NbdOption.LIST, new byte[0]);
            List<RawNbdClient.Reply> replies = client.readReplies();
            assertEquals(2, replies.size());
            assertReply(replies.get(0), NbdOption.LIST, NbdOptionReply.SERVER);
            ByteBuffer server = ByteBuffer.wrap(replies.get(0).data());
            byte[] name = new byte[server.getInt()];
            server.get(name);
            assertEquals("disk0", new String(name, StandardCharsets.UTF_8));
            assertReply(replies.get(1), NbdOption.LIST, NbdOptionReply.ACK);
            // LIST with data is invalid, and negotiation goes on
            client.sendOption(NbdOption.LIST, new byte[] {1});
            assertReply(client.readReply(), NbdOption.LIST, NbdOptionReply.ERR_INVALID);
            client.goAfterHandshake("disk0");
        }
    }

    @Test
    void shouldAnswerExportNameWithSizeFlagsAndPaddingUnlessNoZeroes() throws Exception {
        for (int clientFlags : new int[] {NbdConstants.FLAG_C_FIXED_NEWSTYLE, C_FLAGS}) {
            try (RawNbdClient client = new RawNbdClient(export.port())) {
                client.handshake(clientFlags);
                client.sendOption(NbdOption.EXPORT_NAME, "disk0".getBytes(StandardCharsets.UTF_8));
                assertEquals(SIZE, client.in().readLong());
                assertTrue((client.in().readUnsignedShort() & NbdConstants.FLAG_HAS_FLAGS) != 0);
                if ((clientFlags & NbdConstants.FLAG_C_NO_ZEROES) == 0) {
                    byte[] zeroes = new byte[124];
                    client.in().readFully(zeroes);
                    assertArrayEquals(new byte[124], zeroes);
                }
                assertTransmits(client);
            }
        }
    }

    @Test
    void shouldCloseOnExportNameOfAnUnknownExport() throws Exception {
        try (RawNbdClient client = new RawNbdClient(export.port())) {
            client.handshake(C_FLAGS);
            client.sendOption(NbdOption.EXPORT_NAME, "nope".getBytes(StandardCharsets.UTF_8));
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void shouldRefuseUnknownOptionsAndStartTlsThenStillGo() throws Exception {
        try (RawNbdClient client = new RawNbdClient(export.port())) {
            client.handshake(C_FLAGS);
            client.sendOption(4242, new byte[] {1, 2, 3});
            RawNbdClient.Reply unknown = client.readReply();
            assertEquals(4242, unknown.option());
            assertEquals(NbdOptionReply.ERR_UNSUP, unknown.replyType());
            client.sendOption(NbdOption.STARTTLS, new byte[0]);
            assertReply(client.readReply(), NbdOption.STARTTLS, NbdOptionReply.ERR_UNSUP);
            client.sendOption(NbdOption.GO, RawNbdClient.infoData("no-such-export"));
            assertReply(client.readReply(), NbdOption.GO, NbdOptionReply.ERR_UNKNOWN);
            client.sendOption(NbdOption.GO, new byte[] {0, 0, 0, 9});
            assertReply(client.readReply(), NbdOption.GO, NbdOptionReply.ERR_INVALID);
            client.goAfterHandshake("disk0");
            assertTransmits(client);
        }
    }

    @Test
    void shouldAcknowledgeAbortAndClose() throws Exception {
        try (RawNbdClient client = new RawNbdClient(export.port())) {
            client.handshake(C_FLAGS);
            client.sendOption(NbdOption.ABORT, new byte[0]);
            assertReply(client.readReply(), NbdOption.ABORT, NbdOptionReply.ACK);
            assertTrue(client.closedByServer());
        }
    }

    @Test
    void shouldNegotiateStructuredRepliesAndBaseAllocation() throws Exception {
        try (RawNbdClient client = new RawNbdClient(export.port())) {
            client.handshake(C_FLAGS);
            // SET_META_CONTEXT needs structured replies first
            client.sendOption(NbdOption.SET_META_CONTEXT, RawNbdClient.metaContextData("disk0", "base:allocation"));
            assertReply(client.readReply(), NbdOption.SET_META_CONTEXT, NbdOptionReply.ERR_INVALID);
            client.sendOption(NbdOption.STRUCTURED_REPLY, new byte[0]);
            assertReply(client.readReply(), NbdOption.STRUCTURED_REPLY, NbdOptionReply.ACK);

            client.sendOption(NbdOption.LIST_META_CONTEXT, RawNbdClient.metaContextData("disk0"));
            List<RawNbdClient.Reply> listed = client.readReplies();
            assertEquals(2, listed.size());
            assertReply(listed.get(0), NbdOption.LIST_META_CONTEXT, NbdOptionReply.META_CONTEXT);

            client.sendOption(NbdOption.SET_META_CONTEXT,
                    RawNbdClient.metaContextData("disk0", "qemu:dirty-bitmap:x", "base:allocation"));
            List<RawNbdClient.Reply> set = client.readReplies();
            assertEquals(2, set.size(), set.toString());
            ByteBuffer context = ByteBuffer.wrap(set.get(0).data());
            int id = context.getInt();
            assertEquals("base:allocation", StandardCharsets.UTF_8.decode(context).toString());

            int flags = client.goAfterHandshake("disk0");
            assertTrue((flags & NbdConstants.FLAG_SEND_DF) != 0, "DF with structured replies");

            client.sendRequest(0, NbdCommand.BLOCK_STATUS.wireValue(), 5, 0, (int) SIZE, null);
            RawNbdClient.TransmissionReply status = client.readTransmissionReply(0);
            assertTrue(status.structured());
            assertEquals(5, status.type(), "NBD_REPLY_TYPE_BLOCK_STATUS");
            assertEquals(NbdConstants.REPLY_FLAG_DONE, status.flags());
            ByteBuffer extents = ByteBuffer.wrap(status.data());
            assertEquals(id, extents.getInt());
            assertEquals(SIZE, extents.getInt());
            assertEquals(0, extents.getInt(), "allocated data");

            client.sendRequest(0, NbdCommand.READ.wireValue(), 6, 8, 16, null);
            RawNbdClient.TransmissionReply read = client.readTransmissionReply(0);
            assertEquals(1, read.type(), "NBD_REPLY_TYPE_OFFSET_DATA");
            assertEquals(8 + 16, read.data().length);
            assertEquals(8, ByteBuffer.wrap(read.data()).getLong());

            client.sendRequest(0, NbdCommand.READ.wireValue(), 7, SIZE, 16, null);
            RawNbdClient.TransmissionReply error = client.readTransmissionReply(0);
            assertEquals(0x8001, error.type(), "NBD_REPLY_TYPE_ERROR");
            assertEquals(22, ByteBuffer.wrap(error.data()).getInt(), "EINVAL");
        }
    }

    @Test
    void shouldCloseOnUnknownClientFlags() throws Exception {
        try (RawNbdClient client = new RawNbdClient(export.port())) {
            client.handshake(0x80);
            assertTrue(client.closedByServer());
        }
    }
}
