package dev.colo.replication.internal.generation;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The generation exchange on the peer link, independent of the link: a primary asks the secondary for a
 * disk's current generation ({@value #QUERY}) or tells it to adopt one ({@value #ADOPT}); the secondary
 * answers each with a {@value #REPLY} carrying the request id.
 *
 * @param requestId  pairs a reply with its request
 * @param disk       the disk's name (empty in a reply)
 * @param generation the generation asked to adopt, or the one answered
 * @param expected   for an adoption: the generation the disk must still have
 * @param error      a reply's refusal, empty when it succeeded
 */
public record GenerationMessage(long requestId, String disk, long generation, long expected, String error) {
    public static final String QUERY = "replication.generation.query";
    public static final String ADOPT = "replication.generation.adopt";
    public static final String REPLY = "replication.generation.reply";
    /** Longest disk name or error carried (bytes of UTF-8, well below a frame). */
    private static final int MAX_TEXT_BYTES = 4096;

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(requestId);
            out.writeUTF(disk);
            out.writeLong(generation);
            out.writeLong(expected);
            out.writeUTF(error);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /** @throws IOException naming what is wrong with a malformed payload */
    public static GenerationMessage decode(byte[] payload) throws IOException {
        if (payload.length > 2 * MAX_TEXT_BYTES + 32) {
            throw new IOException("generation message of " + payload.length + " bytes");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            GenerationMessage message = new GenerationMessage(in.readLong(), in.readUTF(), in.readLong(), in.readLong(),
                    in.readUTF());
            if (in.available() != 0) {
                throw new IOException("generation message with " + in.available() + " trailing bytes");
            }
            return message;
        } catch (java.io.EOFException e) {
            throw new IOException("truncated generation message", e);
        }
    }
}
