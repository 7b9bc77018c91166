package dev.colo.nbd.protocol;

/**
 * Every NBD wire constant, named as in the protocol specification ({@code doc/proto.md} of the
 * NetworkBlockDevice project). All integers are big-endian on the wire.
 */
public final class NbdConstants {

    // ---- handshake: magics -------------------------------------------------------------------------

    /** {@code NBDMAGIC}: first 8 bytes the server sends, the ASCII text "NBDMAGIC". */
    public static final long NBDMAGIC = 0x4e42444d41474943L;
    /** {@code NBD_OLDSTYLE_MAGIC}: the second magic of an oldstyle server's greeting (not supported). */
    public static final long OLDSTYLE_MAGIC = 0x00420281861253L;
    /** {@code IHAVEOPT}: sent by the newstyle server after NBDMAGIC, and before every client option. */
    public static final long IHAVEOPT = 0x49484156454F5054L;
    /** Magic of every option reply ({@code NBD_REP_MAGIC}, 0x3e889045565a9). */
    public static final long OPTION_REPLY_MAGIC = 0x3e889045565a9L;

    // ---- handshake flags (server, 16 bits) ---------------------------------------------------------

    /** {@code NBD_FLAG_FIXED_NEWSTYLE}: the server speaks the fixed newstyle protocol. */
    public static final int FLAG_FIXED_NEWSTYLE = 1 << 0;
    /** {@code NBD_FLAG_NO_ZEROES}: the server may omit the 124 zero bytes after NBD_OPT_EXPORT_NAME. */
    public static final int FLAG_NO_ZEROES = 1 << 1;

    // ---- client flags (32 bits) --------------------------------------------------------------------

    /** {@code NBD_FLAG_C_FIXED_NEWSTYLE}: the client speaks fixed newstyle. */
    public static final int FLAG_C_FIXED_NEWSTYLE = 1 << 0;
    /** {@code NBD_FLAG_C_NO_ZEROES}: the client asks for no 124 zero bytes after NBD_OPT_EXPORT_NAME. */
    public static final int FLAG_C_NO_ZEROES = 1 << 1;
    /** Every client flag this server understands; any other bit set closes the connection. */
    public static final int KNOWN_CLIENT_FLAGS = FLAG_C_FIXED_NEWSTYLE | FLAG_C_NO_ZEROES;

    // ---- transmission flags (16 bits, per export) ----------------------------------------------------

    /** {@code NBD_FLAG_HAS_FLAGS}: always set; the other bits are meaningful. */
    public static final int FLAG_HAS_FLAGS = 1 << 0;
    /** {@code NBD_FLAG_READ_ONLY}: the export is read-only; writes fail with EPERM. */
    public static final int FLAG_READ_ONLY = 1 << 1;
    /** {@code NBD_FLAG_SEND_FLUSH}: the server supports NBD_CMD_FLUSH. */
    public static final int FLAG_SEND_FLUSH = 1 << 2;
    /** {@code NBD_FLAG_SEND_FUA}: the server supports NBD_CMD_FLAG_FUA. */
    public static final int FLAG_SEND_FUA = 1 << 3;
    /** {@code NBD_FLAG_ROTATIONAL}: the export behaves like a rotational medium (elevator hint). */
    public static final int FLAG_ROTATIONAL = 1 << 4;
    /** {@code NBD_FLAG_SEND_TRIM}: the server supports NBD_CMD_TRIM. */
    public static final int FLAG_SEND_TRIM = 1 << 5;
    /** {@code NBD_FLAG_SEND_WRITE_ZEROES}: the server supports NBD_CMD_WRITE_ZEROES. */
    public static final int FLAG_SEND_WRITE_ZEROES = 1 << 6;
    /** {@code NBD_FLAG_SEND_DF}: the server supports NBD_CMD_FLAG_DF (only with structured replies). */
    public static final int FLAG_SEND_DF = 1 << 7;
    /** {@code NBD_FLAG_CAN_MULTI_CONN}: a flush on one connection covers writes completed on every connection. */
    public static final int FLAG_CAN_MULTI_CONN = 1 << 8;
    /** {@code NBD_FLAG_SEND_RESIZE}: the server supports NBD_CMD_RESIZE (not offered here). */
    public static final int FLAG_SEND_RESIZE = 1 << 9;
    /** {@code NBD_FLAG_SEND_CACHE}: the server supports NBD_CMD_CACHE (not offered here). */
    public static final int FLAG_SEND_CACHE = 1 << 10;
    /** {@code NBD_FLAG_SEND_FAST_ZERO}: the server supports NBD_CMD_FLAG_FAST_ZERO (not offered here). */
    public static final int FLAG_SEND_FAST_ZERO = 1 << 11;

    // ---- command flags (16 bits, per request) -------------------------------------------------------

    /** {@code NBD_CMD_FLAG_FUA}: force unit access; the write is on stable storage before the reply. */
    public static final int CMD_FLAG_FUA = 1 << 0;
    /** {@code NBD_CMD_FLAG_NO_HOLE}: WRITE_ZEROES must allocate, not punch a hole. */
    public static final int CMD_FLAG_NO_HOLE = 1 << 1;
    /** {@code NBD_CMD_FLAG_DF}: "don't fragment": a structured READ reply in a single chunk. */
    public static final int CMD_FLAG_DF = 1 << 2;
    /** {@code NBD_CMD_FLAG_REQ_ONE}: BLOCK_STATUS with at most one extent per context. */
    public static final int CMD_FLAG_REQ_ONE = 1 << 3;
    /** {@code NBD_CMD_FLAG_FAST_ZERO}: fail WRITE_ZEROES instead of a slow fallback (not supported). */
    public static final int CMD_FLAG_FAST_ZERO = 1 << 4;

    // ---- NBD_OPT_INFO / NBD_OPT_GO information types (16 bits) --------------------------------------

    /** {@code NBD_INFO_EXPORT}: export size (64 bits) and transmission flags (16 bits). */
    public static final int INFO_EXPORT = 0;
    /** {@code NBD_INFO_NAME}: the export's canonical name. */
    public static final int INFO_NAME = 1;
    /** {@code NBD_INFO_DESCRIPTION}: a human-readable description. */
    public static final int INFO_DESCRIPTION = 2;
    /** {@code NBD_INFO_BLOCK_SIZE}: minimum, preferred and maximum block size (32 bits each). */
    public static final int INFO_BLOCK_SIZE = 3;

    // ---- transmission: magics and message sizes ------------------------------------------------------

    /** {@code NBD_REQUEST_MAGIC}: starts every request. */
    public static final int REQUEST_MAGIC = 0x25609513;
    /** {@code NBD_SIMPLE_REPLY_MAGIC}: starts every simple reply. */
    public static final int SIMPLE_REPLY_MAGIC = 0x67446698;
    /** {@code NBD_STRUCTURED_REPLY_MAGIC}: starts every structured reply chunk. */
    public static final int STRUCTURED_REPLY_MAGIC = 0x668e33ef;

    /** {@code NBD_REPLY_FLAG_DONE}: the last chunk of a structured reply. */
    public static final int REPLY_FLAG_DONE = 1 << 0;

    /** Bytes of a request header: magic 4, flags 2, type 2, handle 8, offset 8, length 4. */
    public static final int REQUEST_HEADER_BYTES = 28;
    /** Bytes of a simple reply header: magic 4, error 4, handle 8. */
    public static final int SIMPLE_REPLY_HEADER_BYTES = 16;
    /** Bytes of a structured reply chunk header: magic 4, flags 2, type 2, handle 8, length 4. */
    public static final int STRUCTURED_REPLY_HEADER_BYTES = 20;
    /** Bytes of the server greeting: NBDMAGIC 8, IHAVEOPT 8, handshake flags 2. */
    public static final int GREETING_BYTES = 18;
    /** Bytes of the client flags. */
    public static final int CLIENT_FLAGS_BYTES = 4;
    /** Bytes of an option header: IHAVEOPT 8, option 4, length 4. */
    public static final int OPTION_HEADER_BYTES = 16;
    /** Bytes of an option reply header: magic 8, option 4, reply type 4, length 4. */
    public static final int OPTION_REPLY_HEADER_BYTES = 20;
    /** Zero bytes after the NBD_OPT_EXPORT_NAME reply unless NO_ZEROES was agreed. */
    public static final int EXPORT_NAME_ZERO_PAD_BYTES = 124;

    // ---- error values of replies (Linux errno numbers on every platform) -----------------------------

    /** {@code NBD_EPERM}: operation not permitted. */
    public static final int EPERM = 1;
    /** {@code NBD_EIO}: input/output error. */
    public static final int EIO = 5;
    /** {@code NBD_ENOMEM}: cannot allocate memory. */
    public static final int ENOMEM = 12;
    /** {@code NBD_EINVAL}: invalid argument. */
    public static final int EINVAL = 22;
    /** {@code NBD_ENOSPC}: no space left on device. */
    public static final int ENOSPC = 28;
    /** {@code NBD_EOVERFLOW}: value too large (structured replies only). */
    public static final int EOVERFLOW = 75;
    /** {@code NBD_ENOTSUP}: operation not supported. */
    public static final int ENOTSUP = 95;
    /** {@code NBD_ESHUTDOWN}: server is shutting down. */
    public static final int ESHUTDOWN = 108;

    // ---- limits and block sizes ----------------------------------------------------------------------

    /** Largest READ or WRITE payload, in bytes (32 MiB), also our NBD_INFO_BLOCK_SIZE maximum. */
    public static final int MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;
    /** Smallest block size advertised, in bytes: any alignment works. */
    public static final int MIN_BLOCK_SIZE_BYTES = 1;
    /** Preferred block size advertised, in bytes. */
    public static final int PREFERRED_BLOCK_SIZE_BYTES = 4096;
    /** Largest option payload accepted, in bytes; strings in options are at most 4096 bytes by the spec. */
    public static final int MAX_OPTION_BYTES = 64 * 1024;
    /** Largest name or query string inside an option, in bytes (spec limit). */
    public static final int MAX_STRING_BYTES = 4096;

    // ---- meta contexts -------------------------------------------------------------------------------

    /** The only metadata context served. */
    public static final String META_BASE_ALLOCATION = "base:allocation";
    /** The id we give {@code base:allocation} in NBD_REP_META_CONTEXT. */
    public static final int META_BASE_ALLOCATION_ID = 1;
    /** {@code NBD_STATE_HOLE}: base:allocation extent flag, the range is not allocated. */
    public static final int STATE_HOLE = 1 << 0;
    /** {@code NBD_STATE_ZERO}: base:allocation extent flag, the range reads as zeroes. */
    public static final int STATE_ZERO = 1 << 1;

    private NbdConstants() {
    }
}
