package dev.colo.nbd.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** An option reply: magic, the option it answers, the reply type and the reply's data. */
public record OptionReply(int option, NbdOptionReply type, byte[] data) implements ServerMessage {

    public static OptionReply ack(int option) {
        return new OptionReply(option, NbdOptionReply.ACK, new byte[0]);
    }

    public static OptionReply error(int option, NbdOptionReply type) {
        return new OptionReply(option, type, new byte[0]);
    }

    /** {@code NBD_REP_SERVER}: 32-bit name length and the name (no details). */
    public static OptionReply server(int option, String exportName) {
        byte[] name = exportName.getBytes(StandardCharsets.UTF_8);
        ByteBuffer data = ByteBuffer.allocate(4 + name.length).putInt(name.length).put(name);
        return new OptionReply(option, NbdOptionReply.SERVER, data.array());
    }

    /** {@code NBD_REP_INFO} of type {@code NBD_INFO_EXPORT}: size and transmission flags. */
    public static OptionReply infoExport(int option, ExportInfo export, int transmissionFlags) {
        ByteBuffer data = ByteBuffer.allocate(2 + 8 + 2).putShort((short) NbdConstants.INFO_EXPORT)
                .putLong(export.sizeBytes()).putShort((short) transmissionFlags);
        return new OptionReply(option, NbdOptionReply.INFO, data.array());
    }

    /** {@code NBD_REP_INFO} of type {@code NBD_INFO_BLOCK_SIZE}: minimum, preferred, maximum. */
    public static OptionReply infoBlockSize(int option, ExportInfo export) {
        ByteBuffer data = ByteBuffer.allocate(2 + 12).putShort((short) NbdConstants.INFO_BLOCK_SIZE)
                .putInt(export.minBlockBytes()).putInt(export.preferredBlockBytes()).putInt(export.maxBlockBytes());
        return new OptionReply(option, NbdOptionReply.INFO, data.array());
    }

    /** {@code NBD_REP_INFO} of type {@code NBD_INFO_NAME}: the canonical export name. */
    public static OptionReply infoName(int option, ExportInfo export) {
        byte[] name = export.name().getBytes(StandardCharsets.UTF_8);
        ByteBuffer data = ByteBuffer.allocate(2 + name.length).putShort((short) NbdConstants.INFO_NAME).put(name);
        return new OptionReply(option, NbdOptionReply.INFO, data.array());
    }

    /** {@code NBD_REP_META_CONTEXT}: the context id and its name. */
    public static OptionReply metaContext(int option, int contextId, String contextName) {
        byte[] name = contextName.getBytes(StandardCharsets.UTF_8);
        ByteBuffer data = ByteBuffer.allocate(4 + name.length).putInt(contextId).put(name);
        return new OptionReply(option, NbdOptionReply.META_CONTEXT, data.array());
    }

    @Override
    public ByteBuffer encode() {
        ByteBuffer out = ByteBuffer.allocate(NbdConstants.OPTION_REPLY_HEADER_BYTES + data.length);
        out.putLong(NbdConstants.OPTION_REPLY_MAGIC).putInt(option).putInt(type.wireValue()).putInt(data.length)
                .put(data);
        return out.flip();
    }

    @Override
    public String toString() {
        return "NBD_REP_" + type + " to " + NbdOption.nameOf(option) + "[" + data.length + " bytes]";
    }
}
