package dev.colo.guest.kv.internal.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** Commands and replies of the store's tests as text (ISO-8859-1: every byte a character). */
final class Words {
    private Words() {
    }

    static List<byte[]> command(String... words) {
        return Arrays.stream(words).map(word -> word.getBytes(StandardCharsets.ISO_8859_1)).toList();
    }

    static String text(byte[] reply) {
        return new String(reply, StandardCharsets.ISO_8859_1);
    }
}
