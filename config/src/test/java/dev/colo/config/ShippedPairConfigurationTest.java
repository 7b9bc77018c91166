package dev.colo.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code etc/dev.colo.pair.cfg} is the operator's reference: it must list exactly the keys
 * the pair bundle's metatype declares, each with a comment above it.
 */
class ShippedPairConfigurationTest {
    private static final Path SHIPPED = Path.of("src/main/resources/etc/dev.colo.pair.cfg");
    private static final String METATYPE = "OSGI-INF/metatype/dev.colo.pair.xml";
    private static final Pattern KEY_LINE = Pattern.compile("^([a-z0-9.]+)\\s*=.*$");
    private static final Pattern AD_ID = Pattern.compile("<AD [^>]*id=\"([a-z0-9.]+)\"");

    @Test
    void shouldListExactlyTheKeysOfTheMetatype() throws IOException {
        assertEquals(metatypeKeys(), new TreeSet<>(shippedKeys()));
    }

    @Test
    void shouldCommentEveryKey() throws IOException {
        List<String> lines = Files.readAllLines(SHIPPED, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            Matcher key = KEY_LINE.matcher(lines.get(i));
            if (key.matches()) {
                assertTrue(i > 0 && lines.get(i - 1).startsWith("#"), "key " + key.group(1) + " has no comment");
            }
        }
    }

    @Test
    void shouldShipNoPassword() throws IOException {
        for (String line : Files.readAllLines(SHIPPED, StandardCharsets.UTF_8)) {
            if (line.contains(".password")) {
                assertTrue(line.matches("^[a-z.]+\\.password\\s*=\\s*$"), "shipped password: " + line);
            }
        }
    }

    private static List<String> shippedKeys() throws IOException {
        List<String> keys = new ArrayList<>();
        for (String line : Files.readAllLines(SHIPPED, StandardCharsets.UTF_8)) {
            Matcher key = KEY_LINE.matcher(line);
            if (key.matches()) {
                keys.add(key.group(1));
            }
        }
        return keys;
    }

    private static Set<String> metatypeKeys() throws IOException {
        try (InputStream in = ShippedPairConfigurationTest.class.getClassLoader().getResourceAsStream(METATYPE)) {
            assertTrue(in != null, METATYPE + " not on the test class path");
            Matcher ids = AD_ID.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            Set<String> keys = new TreeSet<>();
            while (ids.find()) {
                keys.add(ids.group(1));
            }
            return keys;
        }
    }
}
