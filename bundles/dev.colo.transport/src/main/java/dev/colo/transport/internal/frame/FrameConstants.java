package dev.colo.transport.internal.frame;

/**
 * Every constant of the peer-link wire format, in one place. All integers are big-endian.
 *
 * <pre>
 * offset size field
 *      0    4 magic          {@link #MAGIC}
 *      4    1 version        {@link #VERSION}
 *      5    1 kind           {@link FrameKind#wireValue()}
 *      6    2 type length    unsigned, 0..{@link #MAX_TYPE_BYTES}
 *      8    4 payload length unsigned, 0..the configured maximum frame size
 *     12    n type           UTF-8
 *   12+n    m payload        opaque bytes
 * </pre>
 */
public final class FrameConstants {
    /** First four bytes of every frame: ASCII "COLO". */
    public static final int MAGIC = 0x434F4C4F;
    /** Protocol version carried in every frame; a peer speaking another version is refused. */
    public static final int VERSION = 1;
    /** Bytes of the fixed header: magic (4) + version (1) + kind (1) + type length (2) + payload length (4). */
    public static final int HEADER_BYTES = 12;
    /** Largest message type, in bytes of UTF-8; the wire field could hold more, the protocol does not allow it. */
    public static final int MAX_TYPE_BYTES = 255;
    /** Separator between node id and channel name in HELLO and WELCOME payloads. */
    public static final char GREETING_SEPARATOR = '\n';

    private FrameConstants() {
    }
}
