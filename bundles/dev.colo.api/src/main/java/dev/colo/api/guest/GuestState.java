package dev.colo.api.guest;

import java.util.Arrays;
import java.util.Objects;

/**
 * A guest's captured state, in the guest's own encoding.
 *
 * @param full  true for the whole state, false for the changes since the previous capture
 * @param bytes the encoded state (owned by the record's holder; not copied)
 */
public record GuestState(boolean full, byte[] bytes) {
    public GuestState {
        Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GuestState state && state.full == full && Arrays.equals(state.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(full) * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "GuestState[" + (full ? "full" : "incremental") + ", " + bytes.length + " bytes]";
    }
}
