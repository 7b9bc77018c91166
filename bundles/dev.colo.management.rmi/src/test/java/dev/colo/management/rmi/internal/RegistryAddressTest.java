package dev.colo.management.rmi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryAddressTest {
    @TempDir
    Path etc;

    @Test
    void shouldReadHostAndPortFromKarafsManagementConfiguration() throws IOException {
        write("rmiRegistryHost = 127.0.0.1\nrmiRegistryPort = 23691\nrmiServerPort = 19389\n");
        assertEquals(Optional.of(new RegistryAddress("127.0.0.1", 23691)), RegistryAddress.in(etc));
    }

    @Test
    void shouldTakeKarafsDefaultsForKeysThatAreNotSet() throws IOException {
        write("rmiServerPort = 19389\n");
        assertEquals(Optional.of(new RegistryAddress("", 1099)), RegistryAddress.in(etc));
    }

    @Test
    void shouldLeaveTheRegistryToKarafWhenThereIsNoFileOrAPlaceholder() throws IOException {
        assertEquals(Optional.empty(), RegistryAddress.in(etc));
        write("rmiRegistryHost = ${env:JMX_HOST}\nrmiRegistryPort = 1099\n");
        assertEquals(Optional.empty(), RegistryAddress.in(etc));
    }

    @Test
    void shouldNameTheKeyOfAPortThatIsNotOne() throws IOException {
        write("rmiRegistryPort = eighty\n");
        IOException error = assertThrows(IOException.class, () -> RegistryAddress.in(etc));
        assertTrue(error.getMessage().contains("rmiRegistryPort = 'eighty'"), error.getMessage());
        write("rmiRegistryPort = 70000\n");
        assertTrue(assertThrows(IOException.class, () -> RegistryAddress.in(etc)).getMessage().contains("70000"));
    }

    private void write(String text) throws IOException {
        Files.writeString(etc.resolve(RegistryAddress.FILE), text);
    }
}
