package dev.colo.nbd.protocol;

/** What a connection agreed on in the handshake and what transmission requests may therefore use. */
public record Negotiated(boolean structuredReplies, boolean baseAllocation) {

    public static final Negotiated NOTHING = new Negotiated(false, false);
}
