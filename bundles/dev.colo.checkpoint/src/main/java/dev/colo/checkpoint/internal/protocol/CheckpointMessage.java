package dev.colo.checkpoint.internal.protocol;

import dev.colo.api.checkpoint.CheckpointReason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What the two coordinators tell each other for one checkpoint (DESIGN §5), each message tagged with the
 * checkpoint's epoch: {@code begin} (primary: pause your guests), {@code ready} (secondary: paused),
 * {@code state} (primary: a piece of a guest's state), {@code received} (secondary: all of it arrived; the
 * primary may release held output), {@code loaded} (secondary: state loaded, overlays emptied, proxy reset),
 * {@code failed} (either side: this checkpoint is over). Lengths are checked before anything is allocated; a
 * malformed payload is an {@link IOException} naming what is wrong. Free of network code.
 */
public sealed interface CheckpointMessage {
    /** Most guest state carried by one message (larger state is split by the sender). */
    int MAX_CHUNK_BYTES = 1 << 20;
    int MAX_GUESTS = 64;
    int MAX_TEXT_BYTES = 1024;

    String type();

    long epoch();

    /**
     * Primary → secondary: checkpoint {@code epoch} begins, for these reasons; pause these guests; a full state
     * follows if so.
     */
    record Begin(long epoch, boolean full, List<String> guests, Set<CheckpointReason> reasons)
            implements CheckpointMessage {
        public static final String TYPE = "checkpoint.begin";

        public Begin {
            guests = List.copyOf(guests);
            reasons = reasons.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(reasons));
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public void writeBody(DataOutputStream out) throws IOException {
            out.writeBoolean(full);
            out.writeShort(guests.size());
            for (String guest : guests) {
                out.writeUTF(guest);
            }
            int mask = 0;
            for (CheckpointReason reason : reasons) {
                mask |= 1 << reason.bit();
            }
            out.writeInt(mask);
        }
    }

    /** Secondary → primary: its guests are paused. */
    record Ready(long epoch) implements CheckpointMessage {
        public static final String TYPE = "checkpoint.ready";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Primary → secondary: the next piece of one guest's state; {@code last} ends that guest's state. */
    record State(long epoch, String guest, boolean full, boolean last, byte[] chunk) implements CheckpointMessage {
        public static final String TYPE = "checkpoint.state";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public void writeBody(DataOutputStream out) throws IOException {
            out.writeUTF(guest);
            out.writeBoolean(full);
            out.writeBoolean(last);
            out.writeInt(chunk.length);
            out.write(chunk);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof State state && state.epoch == epoch && state.guest.equals(guest)
                    && state.full == full && state.last == last && Arrays.equals(state.chunk, chunk);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(epoch) * 31 + guest.hashCode() + Arrays.hashCode(chunk);
        }

        @Override
        public String toString() {
            return "State[" + epoch + ", " + guest + ", " + (full ? "full" : "incremental") + (last ? ", last" : "")
                    + ", " + chunk.length + " bytes]";
        }
    }

    /** Secondary → primary: every guest's state arrived (step 4: held output may be released). */
    record Received(long epoch) implements CheckpointMessage {
        public static final String TYPE = "checkpoint.received";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Secondary → primary: the state is loaded, A and H are empty, the proxy starts the new epoch. */
    record Loaded(long epoch) implements CheckpointMessage {
        public static final String TYPE = "checkpoint.loaded";

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** Either way: checkpoint {@code epoch} failed or was abandoned, and why. */
    record Failed(long epoch, String detail) implements CheckpointMessage {
        public static final String TYPE = "checkpoint.failed";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public void writeBody(DataOutputStream out) throws IOException {
            out.writeUTF(detail.length() > MAX_TEXT_BYTES / 4 ? detail.substring(0, MAX_TEXT_BYTES / 4) : detail);
        }
    }

    /** Every type, for the peer-link listener's registration. */
    List<String> TYPES = List.of(Begin.TYPE, Ready.TYPE, State.TYPE, Received.TYPE, Loaded.TYPE, Failed.TYPE);

    /** What follows the epoch in the payload; nothing by default. */
    default void writeBody(DataOutputStream out) throws IOException {
    }

    /** The payload on the peer link (the type travels in the frame). */
    default byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(epoch());
            writeBody(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * A message of {@code type} from its payload.
     *
     * @throws IOException naming the problem: unknown type, truncated or padded payload, too much state or text
     */
    static CheckpointMessage decode(String type, byte[] payload) throws IOException {
        if (payload.length > MAX_CHUNK_BYTES + 2 * MAX_TEXT_BYTES + 64) {
            throw new IOException(type + " of " + payload.length + " bytes, above the maximum");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            long epoch = in.readLong();
            CheckpointMessage message = switch (type) {
                case Begin.TYPE -> new Begin(epoch, in.readBoolean(), names(in, type), reasons(in, type));
                case Ready.TYPE -> new Ready(epoch);
                case State.TYPE -> new State(epoch, name(in, type), in.readBoolean(), in.readBoolean(), chunk(in, type));
                case Received.TYPE -> new Received(epoch);
                case Loaded.TYPE -> new Loaded(epoch);
                case Failed.TYPE -> new Failed(epoch, in.readUTF());
                default -> throw new IOException("unknown checkpoint message type '" + type + "'");
            };
            if (in.available() != 0) {
                throw new IOException(type + " with " + in.available() + " bytes too many");
            }
            return message;
        } catch (EOFException e) {
            throw new IOException("truncated " + type, e);
        }
    }

    private static Set<CheckpointReason> reasons(DataInputStream in, String type) throws IOException {
        int mask = in.readInt();
        Set<CheckpointReason> reasons = EnumSet.noneOf(CheckpointReason.class);
        int known = 0;
        for (CheckpointReason reason : CheckpointReason.values()) {
            known |= 1 << reason.bit();
            if ((mask & 1 << reason.bit()) != 0) {
                reasons.add(reason);
            }
        }
        if ((mask & ~known) != 0) {
            throw new IOException(type + " with unknown reasons (mask " + Integer.toHexString(mask) + ")");
        }
        return reasons;
    }

    private static List<String> names(DataInputStream in, String type) throws IOException {
        int count = in.readUnsignedShort();
        if (count > MAX_GUESTS) {
            throw new IOException(type + " naming " + count + " guests, more than " + MAX_GUESTS);
        }
        List<String> names = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            names.add(name(in, type));
        }
        return names;
    }

    private static String name(DataInputStream in, String type) throws IOException {
        String name = in.readUTF();
        if (name.isEmpty() || name.length() > 64) {
            throw new IOException(type + " with a guest name of " + name.length() + " characters");
        }
        return name;
    }

    private static byte[] chunk(DataInputStream in, String type) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_CHUNK_BYTES || length > in.available()) {
            throw new IOException(type + " announcing " + length + " bytes of state with " + in.available() + " left");
        }
        return in.readNBytes(length);
    }
}
