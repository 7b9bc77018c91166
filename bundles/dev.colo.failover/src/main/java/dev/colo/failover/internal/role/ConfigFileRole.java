package dev.colo.failover.internal.role;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code role} line of the file a configuration came from ({@code etc/dev.colo.pair.cfg}, named by
 * FileInstall's {@value #FILENAME_PROPERTY} property), replaced in a new file that is then renamed over it.
 *
 * <p>Why: when a configuration changes through ConfigurationAdmin, Karaf writes it back to its file in place,
 * and FileInstall, watching the file, can read it half written; it then stores that half (no {@code node.id})
 * and the write-back writes the half to the file: the node lost its pair configuration for good (seen after a
 * failover). Written here first and whole, the file already says what ConfigurationAdmin will hold, so the
 * write-back has nothing to change. It still happened once after a node restart (the file left with its comments
 * only): {@link #restoreIfTruncated} puts the whole file back while the role change settles.
 */
public final class ConfigFileRole {
    /** FileInstall's property naming the configuration's file (a URL). */
    public static final String FILENAME_PROPERTY = "felix.fileinstall.filename";
    private static final Pattern ROLE_LINE = Pattern.compile("^\\s*role\\s*[=:].*$");
    private static final Pattern NODE_ID_LINE = Pattern.compile("^\\s*node\\.id\\s*[=:].*$");

    private ConfigFileRole() {
    }

    /** The file behind a configuration, if FileInstall loaded it from one. */
    public static Optional<Path> fileOf(Object filenameProperty) {
        if (filenameProperty == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(filenameProperty.toString());
            return Optional.of(uri.getScheme() == null ? Path.of(filenameProperty.toString()) : Path.of(uri));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.of(Path.of(filenameProperty.toString()));
        }
    }

    /**
     * Sets {@code role = value} in {@code file} (appended when the file has no role line), atomically; returns the
     * lines written.
     */
    public static List<String> write(Path file, String value) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        String roleLine = "role = " + value;
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            if (ROLE_LINE.matcher(lines.get(i)).matches()) {
                lines.set(i, roleLine);
                replaced = true;
            }
        }
        if (!replaced) {
            lines.add(roleLine);
        }
        replace(file, lines);
        return lines;
    }

    /**
     * Puts {@code whole} back in {@code file} if it lost its {@code node.id} line (a partial write-back stored by
     * FileInstall); returns whether it did.
     */
    public static boolean restoreIfTruncated(Path file, List<String> whole) throws IOException {
        if (Files.readAllLines(file, StandardCharsets.UTF_8).stream().anyMatch(line -> NODE_ID_LINE.matcher(line)
                .matches()) || whole.stream().noneMatch(line -> NODE_ID_LINE.matcher(line).matches())) {
            return false;
        }
        replace(file, whole);
        return true;
    }

    private static void replace(Path file, List<String> lines) throws IOException {
        Path next = file.resolveSibling("." + file.getFileName() + ".next");
        Files.write(next, lines, StandardCharsets.UTF_8);
        if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            // the file holds key store passwords: its new version is exactly as private as the old
            Files.setPosixFilePermissions(next, Files.getPosixFilePermissions(file));
        }
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
