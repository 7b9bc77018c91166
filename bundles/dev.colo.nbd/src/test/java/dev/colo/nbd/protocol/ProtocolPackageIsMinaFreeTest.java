package dev.colo.nbd.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The exported protocol package must be usable without MINA: no class of it may refer to MINA. */
class ProtocolPackageIsMinaFreeTest {

    @Test
    void shouldNotReferToMinaFromAnyProtocolClass() throws Exception {
        Path classes = Path.of(NbdConstants.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path packageDir = classes.resolve(NbdConstants.class.getPackageName().replace('.', '/'));
        List<Path> classFiles;
        try (Stream<Path> files = Files.list(packageDir)) {
            classFiles = files.filter(file -> file.toString().endsWith(".class")).toList();
        }
        assertTrue(classFiles.size() >= 20, "expected the protocol classes in " + packageDir + ": " + classFiles);
        for (Path classFile : classFiles) {
            String constants = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
            assertEquals(-1, constants.indexOf("org/apache/mina"), classFile + " refers to MINA");
            assertEquals(-1, constants.indexOf("dev/colo/nbd/internal"), classFile + " refers to internal code");
        }
    }
}
