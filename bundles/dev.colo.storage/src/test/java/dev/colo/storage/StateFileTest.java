package dev.colo.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFileTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadBackWhatWasWrittenAndReplaceIt() throws Exception {
        Path file = dir.resolve("state");
        StateFile.write(file, "first".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("first".getBytes(StandardCharsets.UTF_8), StateFile.read(file).orElseThrow());
        StateFile.write(file, "second, longer".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("second, longer".getBytes(StandardCharsets.UTF_8), StateFile.read(file).orElseThrow());
        assertFalse(Files.exists(dir.resolve("state.tmp")), "the temporary file was renamed away");
        assertEquals(StateFile.HEADER_BYTES + 14, Files.size(file));
    }

    @Test
    void shouldKeepAnEmptyPayload() throws Exception {
        Path file = dir.resolve("empty");
        StateFile.write(file, new byte[0]);
        assertEquals(0, StateFile.read(file).orElseThrow().length);
    }

    @Test
    void shouldReadNothingFromAnAbsentFile() throws Exception {
        assertTrue(StateFile.read(dir.resolve("absent")).isEmpty());
    }

    @Test
    void shouldReplaceALeftoverTemporaryFile() throws Exception {
        Path file = dir.resolve("s");
        Files.write(dir.resolve("s.tmp"), new byte[100]);
        StateFile.write(file, new byte[] {1});
        assertArrayEquals(new byte[] {1}, StateFile.read(file).orElseThrow());
    }

    @Test
    void shouldNameTheFileWhenAPayloadByteIsCorrupted() throws Exception {
        Path file = dir.resolve("corrupt");
        StateFile.write(file, "checkpoint 42".getBytes(StandardCharsets.UTF_8));
        byte[] content = Files.readAllBytes(file);
        content[StateFile.HEADER_BYTES + 3] ^= 0x01;
        Files.write(file, content);
        IOException e = assertThrows(IOException.class, () -> StateFile.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("CRC"), e.getMessage());
    }

    @Test
    void shouldNameTheFileWhenMagicOrLengthIsWrong() throws Exception {
        Path file = dir.resolve("bad");
        StateFile.write(file, new byte[] {1, 2, 3});
        byte[] content = Files.readAllBytes(file);

        byte[] badMagic = content.clone();
        badMagic[0] = 'X';
        Files.write(file, badMagic);
        IOException magic = assertThrows(IOException.class, () -> StateFile.read(file));
        assertTrue(magic.getMessage().contains(file.toString()) && magic.getMessage().contains("magic"),
                magic.getMessage());

        Files.write(file, Arrays.copyOf(content, content.length - 1));
        IOException truncated = assertThrows(IOException.class, () -> StateFile.read(file));
        assertTrue(truncated.getMessage().contains(file.toString()), truncated.getMessage());

        Files.write(file, new byte[5]);
        IOException tooShort = assertThrows(IOException.class, () -> StateFile.read(file));
        assertTrue(tooShort.getMessage().contains(file.toString()), tooShort.getMessage());
    }

    @Test
    void shouldDeleteAndToleratePassingAnAbsentFile() throws Exception {
        Path file = dir.resolve("gone");
        StateFile.write(file, new byte[] {7});
        StateFile.delete(file);
        assertFalse(Files.exists(file));
        assertTrue(StateFile.read(file).isEmpty());
        StateFile.delete(file);
    }

    @Test
    void shouldWorkWithARelativePathInTheWorkingDirectory() throws Exception {
        // a bare file name has no parent: the directory to force must still be found
        Path relative = Path.of("statefile-test-" + ProcessHandle.current().pid());
        try {
            StateFile.write(relative, new byte[] {4});
            assertArrayEquals(new byte[] {4}, StateFile.read(relative).orElseThrow());
        } finally {
            StateFile.delete(relative);
        }
        assertFalse(Files.exists(relative));
    }
}
