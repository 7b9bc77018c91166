package dev.colo.guest.kv.internal.resp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Encodes replies of the Redis protocol (RESP2). */
public final class Resp {
    public static final byte[] OK = simple("OK");
    public static final byte[] PONG = simple("PONG");
    public static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);

    private Resp() {
    }

    public static byte[] simple(String text) {
        return ("+" + text + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] error(String text) {
        return ("-" + text + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] integer(long value) {
        return (":" + value + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    public static byte[] bulk(byte[] value) {
        if (value == null) {
            return NULL_BULK;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 16);
        out.writeBytes(("$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(value);
        out.writeBytes(new byte[] {'\r', '\n'});
        return out.toByteArray();
    }

    public static byte[] bulk(String value) {
        return bulk(value.getBytes(StandardCharsets.UTF_8));
    }

    /** An array of already encoded replies. */
    public static byte[] array(List<byte[]> encoded) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("*" + encoded.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        encoded.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
