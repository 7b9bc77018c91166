package dev.colo.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ApiValueTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "-a", "a-", "A", "colo_a", "a.b"})
    void shouldRefuseInvalidNodeIds(String value) {
        assertThrows(IllegalArgumentException.class, () -> new NodeId(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "colo-a", "n1", "x23456789012345678901234567890123456789012345678901234567890123"})
    void shouldAcceptValidNodeIds(String value) {
        assertEquals(value, new NodeId(value).value());
    }

    @Test
    void shouldRefuseNodeIdsLongerThanADnsLabel() {
        assertThrows(IllegalArgumentException.class, () -> new NodeId("a".repeat(64)));
    }

    @Test
    void shouldParseRolesCaseInsensitively() {
        assertEquals(Role.PRIMARY, Role.parse(" Primary "));
        assertEquals(Role.SECONDARY, Role.parse("secondary"));
        assertThrows(IllegalArgumentException.class, () -> Role.parse("leader"));
        assertThrows(IllegalArgumentException.class, () -> Role.parse(null));
    }

    @Test
    void shouldFormatErrorCodesWithTheirName() {
        assertEquals("CONFIG_INVALID: Configuration dev.colo.pair: key 'peer.port' has invalid value 'x': not an integer",
                ColoErrorCode.CONFIG_INVALID.format("dev.colo.pair", "peer.port", "x", "not an integer"));
        assertEquals(ColoErrorCode.LINK_DOWN, new ColoException(ColoErrorCode.LINK_DOWN, "BULK", "t").code());
    }
}
