package dev.colo.nbd.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The handshake phase on the wire: decoding of the client flags and of options, and parsing of the
 * option data. Decoders consume nothing and return {@code null} until the whole item is available;
 * declared lengths are checked against their maximum before anything is allocated.
 */
public final class HandshakeWire {

    /** The data of NBD_OPT_INFO and NBD_OPT_GO: an export name and the information types requested. */
    public record InfoRequest(String exportName, List<Integer> infoTypes) {
    }

    /** The data of NBD_OPT_LIST_META_CONTEXT and NBD_OPT_SET_META_CONTEXT. */
    public record MetaContextRequest(String exportName, List<String> queries) {
    }

    /** Option data that does not parse; answered with NBD_REP_ERR_INVALID, the connection stays. */
    public static final class MalformedOptionException extends Exception {
        private static final long serialVersionUID = 1L;

        public MalformedOptionException(String message) {
            super(message);
        }
    }

    private HandshakeWire() {
    }

    public static ClientFlags decodeClientFlags(ByteBuffer in) {
        if (in.remaining() < NbdConstants.CLIENT_FLAGS_BYTES) {
            return null;
        }
        return new ClientFlags(in.getInt());
    }

    /**
     * One option, or {@code null} until it is complete.
     *
     * @throws NbdProtocolException if it does not start with IHAVEOPT or declares more than
     *         {@code maxOptionBytes} of data
     */
    public static OptionRequest decodeOption(ByteBuffer in, int maxOptionBytes) throws NbdProtocolException {
        if (in.remaining() < NbdConstants.OPTION_HEADER_BYTES) {
            return null;
        }
        int start = in.position();
        long magic = in.getLong(start);
        if (magic != NbdConstants.IHAVEOPT) {
            throw new NbdProtocolException("option without IHAVEOPT: 0x" + Long.toHexString(magic));
        }
        int option = in.getInt(start + 8);
        long length = Integer.toUnsignedLong(in.getInt(start + 12));
        if (length > maxOptionBytes) {
            throw new NbdProtocolException(NbdOption.nameOf(option) + " declares " + length
                    + " bytes of data, above the maximum of " + maxOptionBytes);
        }
        if (in.remaining() < NbdConstants.OPTION_HEADER_BYTES + length) {
            return null;
        }
        in.position(start + NbdConstants.OPTION_HEADER_BYTES);
        byte[] data = new byte[(int) length];
        in.get(data);
        return new OptionRequest(option, data);
    }

    /** Data of NBD_OPT_INFO / NBD_OPT_GO: name length (32), name, count (16), info types (16 each). */
    public static InfoRequest parseInfoRequest(byte[] data) throws MalformedOptionException {
        ByteBuffer in = ByteBuffer.wrap(data);
        String name = string(in, "export name");
        short count = shortOf(in, "number of information requests");
        if (in.remaining() != 2 * Short.toUnsignedInt(count)) {
            throw new MalformedOptionException(Short.toUnsignedInt(count) + " information requests need "
                    + 2 * Short.toUnsignedInt(count) + " bytes, " + in.remaining() + " present");
        }
        List<Integer> types = new ArrayList<>();
        while (in.hasRemaining()) {
            types.add(Short.toUnsignedInt(in.getShort()));
        }
        return new InfoRequest(name, types);
    }

    /** Data of NBD_OPT_EXPORT_NAME: the whole data is the name. */
    public static String parseExportName(byte[] data) throws MalformedOptionException {
        if (data.length > NbdConstants.MAX_STRING_BYTES) {
            throw new MalformedOptionException("export name of " + data.length + " bytes");
        }
        return utf8(data, "export name");
    }

    /** Data of the META_CONTEXT options: name length (32), name, count (32), queries (length 32, text). */
    public static MetaContextRequest parseMetaContextRequest(byte[] data) throws MalformedOptionException {
        ByteBuffer in = ByteBuffer.wrap(data);
        String name = string(in, "export name");
        if (in.remaining() < 4) {
            throw new MalformedOptionException("number of queries missing");
        }
        long count = Integer.toUnsignedLong(in.getInt());
        List<String> queries = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            queries.add(string(in, "query"));
        }
        if (in.hasRemaining()) {
            throw new MalformedOptionException(in.remaining() + " bytes after the last query");
        }
        return new MetaContextRequest(name, queries);
    }

    private static short shortOf(ByteBuffer in, String what) throws MalformedOptionException {
        if (in.remaining() < 2) {
            throw new MalformedOptionException(what + " missing");
        }
        return in.getShort();
    }

    private static String string(ByteBuffer in, String what) throws MalformedOptionException {
        if (in.remaining() < 4) {
            throw new MalformedOptionException(what + " length missing");
        }
        long length = Integer.toUnsignedLong(in.getInt());
        if (length > NbdConstants.MAX_STRING_BYTES || length > in.remaining()) {
            throw new MalformedOptionException(what + " of " + length + " bytes, " + in.remaining() + " present");
        }
        byte[] bytes = new byte[(int) length];
        in.get(bytes);
        return utf8(bytes, what);
    }

    private static String utf8(byte[] bytes, String what) throws MalformedOptionException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedOptionException(what + " is not UTF-8");
        }
    }
}
