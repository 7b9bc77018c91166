package dev.colo.nbd.client.interop;

import static dev.colo.nbd.client.interop.InteropChecks.get;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.nbd.client.ClientState;
import dev.colo.nbd.client.NbdClient;
import dev.colo.nbd.client.NbdConnectionException;
import org.junit.jupiter.api.Test;

/** What our client must do against every server that keeps its data across connections. */
abstract class ClientContract {
    /** A fresh connection to the server under test. */
    abstract NbdClient connect() throws Exception;

    @Test
    void shouldWriteAndReadBackPatterns() throws Exception {
        try (NbdClient client = connect()) {
            InteropChecks.writeAndReadBack(client);
        }
    }

    @Test
    void shouldPipeline64Requests() throws Exception {
        try (NbdClient client = connect()) {
            InteropChecks.pipelined(client, 64);
        }
    }

    @Test
    void shouldFlushTrimAndWriteZeroes() throws Exception {
        try (NbdClient client = connect()) {
            InteropChecks.flushTrimZeroes(client);
        }
    }

    @Test
    void shouldRefuseOutOfRangeRequestsLocally() throws Exception {
        try (NbdClient client = connect()) {
            InteropChecks.outOfRangeRefused(client);
        }
    }

    @Test
    void shouldCloseInOrderAndIdempotently() throws Exception {
        NbdClient client = connect();
        byte[] data = InteropChecks.pattern(4096, 99);
        var write = client.write(0, data, false);
        client.close();
        get(write); // answered before NBD_CMD_DISC
        client.close();
        assertEquals(ClientState.CLOSED, client.state());
        assertTrue(InteropChecks.failure(client.read(0, 1)) instanceof NbdConnectionException);
        try (NbdClient again = connect()) {
            assertArrayEquals(data, get(again.read(0, 4096)), "the data outlives the connection");
        }
    }
}
