package dev.colo.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A Karaf {@code .cfg} or {@code .properties} file edited line by line: comments, order and untouched
 * entries stay as they are. {@link #set} replaces the first active entry of a key (including its
 * continuation lines) or appends one.
 */
final class CfgFile {
    private final List<String> lines;

    CfgFile(List<String> lines) {
        this.lines = new ArrayList<>(lines);
    }

    /** Read and written as ISO-8859-1, like java.util.Properties: every byte survives an edit. */
    static CfgFile read(Path file) throws IOException {
        return new CfgFile(Files.readAllLines(file, StandardCharsets.ISO_8859_1));
    }

    static CfgFile parse(String text) {
        return new CfgFile(text.lines().toList());
    }

    void write(Path file) throws IOException {
        Files.writeString(file, text(), StandardCharsets.ISO_8859_1);
    }

    String text() {
        return String.join("\n", lines) + "\n";
    }

    /** Value of the first active entry of {@code key}, continuation lines joined. */
    Optional<String> get(String key) {
        int index = find(key);
        if (index < 0) {
            return Optional.empty();
        }
        StringBuilder raw = new StringBuilder();
        int i = index;
        String line = lines.get(i);
        raw.append(valuePart(line));
        while (continues(line) && i + 1 < lines.size()) {
            raw.setLength(raw.length() - 1); // the trailing backslash
            line = lines.get(++i);
            raw.append(line.stripLeading());
        }
        return Optional.of(unescape(raw.toString().strip()));
    }

    /** Sets {@code key = value}, replacing the first active entry or appending one at the end. */
    CfgFile set(String key, String value) {
        String entry = escapeKey(key) + " = " + escapeValue(value);
        int index = find(key);
        if (index < 0) {
            lines.add(entry);
            return this;
        }
        int end = index;
        while (continues(lines.get(end)) && end + 1 < lines.size()) {
            end++;
        }
        for (int i = end; i > index; i--) {
            lines.remove(i);
        }
        lines.set(index, entry);
        return this;
    }

    /** Whether any active entry satisfies the test on its (unescaped) key. */
    boolean anyKey(Predicate<String> test) {
        return entryLines().stream().anyMatch(i -> test.test(keyOf(lines.get(i))));
    }

    private int find(String key) {
        return entryLines().stream().filter(i -> key.equals(keyOf(lines.get(i)))).findFirst().orElse(-1);
    }

    /** Indexes of the lines that start an entry (not comments, blanks or continuation lines). */
    private List<Integer> entryLines() {
        List<Integer> starts = new ArrayList<>();
        boolean continuation = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (continuation) {
                continuation = continues(line);
                continue;
            }
            if (keyOf(line) != null) {
                starts.add(i);
                continuation = continues(line);
            }
        }
        return starts;
    }

    /** The unescaped key of an active line, or null for comments and blank lines. */
    static String keyOf(String line) {
        String s = line.stripLeading();
        if (s.isEmpty() || s.charAt(0) == '#' || s.charAt(0) == '!') {
            return null;
        }
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                key.append(s.charAt(++i));
            } else if (c == '=' || c == ':' || Character.isWhitespace(c)) {
                break;
            } else {
                key.append(c);
            }
        }
        return key.length() == 0 ? null : key.toString();
    }

    private static String valuePart(String line) {
        String s = line.stripLeading();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '=' || c == ':' || Character.isWhitespace(c)) {
                break;
            }
            i++;
        }
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i < s.length() && (s.charAt(i) == '=' || s.charAt(i) == ':')) {
            i++;
        }
        return i >= s.length() ? "" : s.substring(i).stripLeading();
    }

    private static boolean continues(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }

    static String escapeKey(String key) {
        StringBuilder out = new StringBuilder();
        for (char c : key.toCharArray()) {
            if (c == '\\' || c == '=' || c == ':' || c == ' ' || c == '#' || c == '!') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    static String escapeValue(String value) {
        return value.replace("\\", "\\\\");
    }

    private static String unescape(String raw) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                out.append(raw.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
