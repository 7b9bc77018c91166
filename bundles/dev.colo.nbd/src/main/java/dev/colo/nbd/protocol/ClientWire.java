package dev.colo.nbd.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The client's side of the wire, MINA-free: decoders of what a server sends (greeting, option replies,
 * the NBD_OPT_EXPORT_NAME answer, simple and structured replies) and encoders of what a client sends.
 * Decoders consume nothing and return {@code null} until the item is complete; declared lengths are
 * checked against a maximum before anything is allocated. The server-side halves are
 * {@link HandshakeWire} and {@link TransmissionWire}.
 */
public final class ClientWire {

    /** Bytes of a structured OFFSET_DATA chunk before its data: the 64-bit offset. */
    static final int OFFSET_DATA_PREFIX_BYTES = 8;

    /** How many payload bytes follow a simple reply header for a handle: -1 if the handle is unknown. */
    @FunctionalInterface
    public interface SimpleReplyPayload {
        int bytesFor(long handle, int error);
    }

    private ClientWire() {
    }

    /** The greeting, or {@code null}; an oldstyle or non-NBD server is a protocol error. */
    public static ServerGreeting decodeGreeting(ByteBuffer in) throws NbdProtocolException {
        if (in.remaining() < NbdConstants.GREETING_BYTES) {
            return null;
        }
        long magic = in.getLong();
        if (magic != NbdConstants.NBDMAGIC) {
            throw new NbdProtocolException("not an NBD server: greeting starts with 0x" + Long.toHexString(magic));
        }
        long second = in.getLong();
        if (second == NbdConstants.OLDSTYLE_MAGIC) {
            throw new NbdProtocolException("oldstyle NBD server: not supported");
        }
        if (second != NbdConstants.IHAVEOPT) {
            throw new NbdProtocolException("greeting without IHAVEOPT: 0x" + Long.toHexString(second));
        }
        return new ServerGreeting(Short.toUnsignedInt(in.getShort()));
    }

    /** One option reply, or {@code null}. Unknown reply types are protocol errors. */
    public static OptionReply decodeOptionReply(ByteBuffer in, int maxBytes) throws NbdProtocolException {
        if (in.remaining() < NbdConstants.OPTION_REPLY_HEADER_BYTES) {
            return null;
        }
        int start = in.position();
        long magic = in.getLong(start);
        if (magic != NbdConstants.OPTION_REPLY_MAGIC) {
            throw new NbdProtocolException("option reply with bad magic 0x" + Long.toHexString(magic));
        }
        int option = in.getInt(start + 8);
        int type = in.getInt(start + 12);
        long length = Integer.toUnsignedLong(in.getInt(start + 16));
        NbdOptionReply known = NbdOptionReply.fromWire(type).orElseThrow(() -> new NbdProtocolException(
                "unknown option reply type 0x" + Integer.toHexString(type) + " to " + NbdOption.nameOf(option)));
        if (length > maxBytes) {
            throw new NbdProtocolException("NBD_REP_" + known + " to " + NbdOption.nameOf(option) + " declares "
                    + length + " bytes, above the maximum of " + maxBytes);
        }
        if (in.remaining() < NbdConstants.OPTION_REPLY_HEADER_BYTES + length) {
            return null;
        }
        in.position(start + NbdConstants.OPTION_REPLY_HEADER_BYTES);
        byte[] data = new byte[(int) length];
        in.get(data);
        return new OptionReply(option, known, data);
    }

    /** The answer to NBD_OPT_EXPORT_NAME: size, flags and 124 zero bytes unless NO_ZEROES; or {@code null}. */
    public static ExportNameReply decodeExportNameReply(ByteBuffer in, boolean noZeroes) {
        int bytes = 8 + 2 + (noZeroes ? 0 : NbdConstants.EXPORT_NAME_ZERO_PAD_BYTES);
        if (in.remaining() < bytes) {
            return null;
        }
        int start = in.position();
        long size = in.getLong(start);
        int flags = Short.toUnsignedInt(in.getShort(start + 8));
        in.position(start + bytes);
        return new ExportNameReply(size, flags, noZeroes);
    }

    /**
     * One simple reply or structured reply chunk, or {@code null}. The payload length of a simple reply
     * is not on the wire: {@code payloads} tells it from the handle (READ length on success, else 0).
     */
    public static Object decodeReply(ByteBuffer in, SimpleReplyPayload payloads, int maxPayloadBytes)
            throws NbdProtocolException {
        if (in.remaining() < 4) {
            return null;
        }
        int start = in.position();
        int magic = in.getInt(start);
        if (magic == NbdConstants.SIMPLE_REPLY_MAGIC) {
            if (in.remaining() < NbdConstants.SIMPLE_REPLY_HEADER_BYTES) {
                return null;
            }
            int error = in.getInt(start + 4);
            long handle = in.getLong(start + 8);
            int payload = payloads.bytesFor(handle, error);
            if (payload < 0) {
                throw new NbdProtocolException("simple reply for unknown handle 0x" + Long.toHexString(handle));
            }
            if (payload > maxPayloadBytes) {
                throw new NbdProtocolException("simple reply of " + payload + " bytes, above " + maxPayloadBytes);
            }
            if (in.remaining() < NbdConstants.SIMPLE_REPLY_HEADER_BYTES + payload) {
                return null;
            }
            in.position(start + NbdConstants.SIMPLE_REPLY_HEADER_BYTES);
            byte[] data = new byte[payload];
            in.get(data);
            return new SimpleReply(handle, error, ByteBuffer.wrap(data));
        }
        if (magic == NbdConstants.STRUCTURED_REPLY_MAGIC) {
            if (in.remaining() < NbdConstants.STRUCTURED_REPLY_HEADER_BYTES) {
                return null;
            }
            int flags = Short.toUnsignedInt(in.getShort(start + 4));
            int type = Short.toUnsignedInt(in.getShort(start + 6));
            long handle = in.getLong(start + 8);
            long length = Integer.toUnsignedLong(in.getInt(start + 16));
            NbdReplyType known = NbdReplyType.fromWire(type).orElseThrow(() -> new NbdProtocolException(
                    "unknown structured reply chunk type 0x" + Integer.toHexString(type)));
            long max = known == NbdReplyType.OFFSET_DATA ? OFFSET_DATA_PREFIX_BYTES + (long) maxPayloadBytes
                    : NbdConstants.MAX_OPTION_BYTES;
            if (length > max) {
                throw new NbdProtocolException("NBD_REPLY_TYPE_" + known + " chunk declares " + length
                        + " bytes, above the maximum of " + max);
            }
            if (in.remaining() < NbdConstants.STRUCTURED_REPLY_HEADER_BYTES + length) {
                return null;
            }
            in.position(start + NbdConstants.STRUCTURED_REPLY_HEADER_BYTES);
            byte[] payload = new byte[(int) length];
            in.get(payload);
            return new StructuredReplyChunk(flags, known, handle, ByteBuffer.wrap(payload));
        }
        throw new NbdProtocolException("reply with bad magic 0x" + Integer.toHexString(magic));
    }

    /** An option as a client sends it: IHAVEOPT, option, length, data. */
    public static ByteBuffer encodeOption(NbdOption option, byte[] data) {
        ByteBuffer out = ByteBuffer.allocate(NbdConstants.OPTION_HEADER_BYTES + data.length);
        out.putLong(NbdConstants.IHAVEOPT).putInt(option.wireValue()).putInt(data.length).put(data);
        return out.flip();
    }

    /** Data of NBD_OPT_GO / NBD_OPT_INFO: name length, name, number of info requests, info types. */
    public static byte[] goData(String exportName, int... infoTypes) {
        byte[] name = exportName.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(4 + name.length + 2 + 2 * infoTypes.length);
        out.putInt(name.length).put(name).putShort((short) infoTypes.length);
        for (int type : infoTypes) {
            out.putShort((short) type);
        }
        return out.array();
    }
}
