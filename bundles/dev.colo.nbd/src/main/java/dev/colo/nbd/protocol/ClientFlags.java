package dev.colo.nbd.protocol;

/** The client's 32-bit flags, its answer to the greeting ({@code NBD_FLAG_C_*}). */
public record ClientFlags(int flags) {

    public boolean fixedNewstyle() {
        return (flags & NbdConstants.FLAG_C_FIXED_NEWSTYLE) != 0;
    }

    public boolean noZeroes() {
        return (flags & NbdConstants.FLAG_C_NO_ZEROES) != 0;
    }

    /** Bits this server does not know; the spec requires closing the connection if any is set. */
    public int unknownBits() {
        return flags & ~NbdConstants.KNOWN_CLIENT_FLAGS;
    }
}
