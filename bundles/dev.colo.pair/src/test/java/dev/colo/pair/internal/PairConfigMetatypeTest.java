package dev.colo.pair.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.colo.api.pair.PairKeys;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PairConfigMetatypeTest {
    /** The metatype (what consoles show) and the parser (what is enforced) must describe the same keys. */
    @Test
    void shouldDescribeExactlyTheKeysTheParserKnows() {
        Set<String> metatypeKeys = Arrays.stream(PairConfig.class.getDeclaredMethods())
                .map(Method::getName)
                .map(name -> name.replace('_', '.'))
                .collect(Collectors.toSet());

        assertEquals(PairKeys.ALL, metatypeKeys);
    }
}
