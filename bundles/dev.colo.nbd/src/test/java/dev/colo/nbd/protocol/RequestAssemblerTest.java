package dev.colo.nbd.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestAssemblerTest {
    private final List<ByteBuffer> acquired = new ArrayList<>();
    private final List<ByteBuffer> released = new ArrayList<>();
    private final PayloadBuffers recording = new PayloadBuffers() {
        @Override
        public ByteBuffer acquire(int bytes) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(bytes + 64).limit(bytes); // larger, like a pool's
            acquired.add(buffer);
            return buffer;
        }

        @Override
        public void release(ByteBuffer buffer) {
            released.add(buffer);
        }
    };
    private final RequestAssembler assembler = new RequestAssembler(1024, recording);

    private static ByteBuffer write(long handle, byte[] payload) {
        return ByteBuffer.allocate(28 + payload.length)
                .put(TransmissionWire.encodeRequestHeader(0, NbdCommand.WRITE.wireValue(), handle, 512, payload.length))
                .put(payload).flip();
    }

    @Test
    void shouldConsumeEveryPayloadByteAsItArrivesAndDeliverTheWriteWhenComplete() throws Exception {
        byte[] payload = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        ByteBuffer wire = write(7, payload);
        ByteBuffer in = ByteBuffer.allocate(wire.remaining()).flip();
        NbdRequest request = null;
        for (int i = 0; i < wire.limit(); i++) {
            in.compact().put(wire.get(i)).flip();
            request = assembler.next(in);
            if (i < wire.limit() - 1) {
                assertNull(request, "complete after " + (i + 1) + " bytes?");
                assertEquals(i < 27 ? i + 1 : 0, in.remaining(), "only a partial header stays unconsumed");
            }
        }
        assertEquals(7, request.handle());
        assertSame(acquired.get(0), request.payload(), "the payload is the acquired buffer, not a copy");
        assertEquals(ByteBuffer.wrap(payload), request.payload());
        assertEquals(9, request.payloadBytes());
    }

    @Test
    void shouldSplitRequestsThatArriveTogether() throws Exception {
        ByteBuffer first = write(1, new byte[] {1, 1});
        ByteBuffer flush = TransmissionWire.encodeRequestHeader(0, NbdCommand.FLUSH.wireValue(), 2, 0, 0);
        ByteBuffer second = write(3, new byte[] {3});
        ByteBuffer in = ByteBuffer.allocate(100).put(first).put(flush).put(second).flip();
        assertEquals(1, assembler.next(in).handle());
        NbdRequest read = assembler.next(in);
        assertEquals(2, read.handle());
        assertEquals(false, read.hasPayload());
        assertEquals(3, assembler.next(in).handle());
        assertNull(assembler.next(in));
        assertEquals(2, acquired.size(), "a buffer per WRITE only");
    }

    @Test
    void shouldGiveBackAPartialPayloadOnDiscard() throws Exception {
        ByteBuffer wire = write(1, new byte[100]).limit(50);
        assertNull(assembler.next(wire));
        assembler.discard();
        assertEquals(acquired, released);
        assembler.discard();
        assertEquals(1, released.size(), "discarding twice gives back once");
    }

    @Test
    void shouldRefuseAnOversizedWriteBeforeAcquiringAnything() {
        ByteBuffer header = TransmissionWire.encodeRequestHeader(0, NbdCommand.WRITE.wireValue(), 1, 0, 1025);
        assertThrows(NbdProtocolException.class, () -> assembler.next(header));
        assertEquals(List.of(), acquired);
    }
}
