package dev.colo.transport.internal.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The wire protocol must be usable and testable without MINA: no class of the package may refer to it. */
class FramePackageIsMinaFreeTest {

    @Test
    void shouldNotReferToMinaFromAnyFrameClass() throws Exception {
        Path classes = Path.of(FrameDecoder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path frameDir = classes.resolve(FrameDecoder.class.getPackageName().replace('.', '/'));
        List<Path> classFiles;
        try (Stream<Path> files = Files.list(frameDir)) {
            classFiles = files.filter(file -> file.toString().endsWith(".class")).toList();
        }
        assertTrue(classFiles.size() >= 7, "expected the frame classes in " + frameDir + ", found " + classFiles);
        for (Path classFile : classFiles) {
            // class files name every referenced class in their constant pool, as UTF-8 internal names
            String constants = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
            assertEquals(-1, constants.indexOf("org/apache/mina"), classFile + " refers to MINA");
        }
    }
}
