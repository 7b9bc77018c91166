package dev.colo.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed command-line arguments: {@code --name value} options, {@code --flag} switches and positional
 * words. Anything not declared is a {@link UsageException} that names the offending argument.
 */
final class Args {
    private final Map<String, String> values;
    private final Set<String> flags;
    private final List<String> positional;

    private Args(Map<String, String> values, Set<String> flags, List<String> positional) {
        this.values = values;
        this.flags = flags;
        this.positional = positional;
    }

    /**
     * @param argv          the words after the subcommand
     * @param valueOptions  options that take a value (without {@code --})
     * @param flagOptions   options without a value (without {@code --})
     * @param maxPositional how many positional words are allowed
     */
    static Args parse(List<String> argv, Set<String> valueOptions, Set<String> flagOptions, int maxPositional)
            throws UsageException {
        return parse(argv, valueOptions, flagOptions, maxPositional, false);
    }

    /**
     * Options, then a command line for another program: the first word that is not an option, and every word after
     * it, are positional as they are, options of that program included ({@code --node colo-b colo:events --count 5});
     * so are the words after {@code --}.
     */
    static Args parseWithCommandLine(List<String> argv, Set<String> valueOptions, Set<String> flagOptions)
            throws UsageException {
        return parse(argv, valueOptions, flagOptions, Integer.MAX_VALUE, true);
    }

    private static Args parse(List<String> argv, Set<String> valueOptions, Set<String> flagOptions, int maxPositional,
            boolean commandLine) throws UsageException {
        Map<String, String> values = new HashMap<>();
        Set<String> flags = new HashSet<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            String word = argv.get(i);
            if (commandLine && (word.equals("--") || !word.startsWith("-") || word.equals("-"))) {
                positional.addAll(argv.subList(word.equals("--") ? i + 1 : i, argv.size()));
                break;
            }
            if (word.startsWith("--") && word.length() > 2) {
                String name = word.substring(2);
                String inline = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    inline = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (valueOptions.contains(name)) {
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= argv.size() || argv.get(i + 1).startsWith("--")) {
                            throw new UsageException("option --" + name + " needs a value");
                        }
                        value = argv.get(++i);
                    }
                    if (value.isBlank()) {
                        throw new UsageException("option --" + name + " needs a non-empty value");
                    }
                    if (values.put(name, value) != null) {
                        throw new UsageException("option --" + name + " given twice");
                    }
                } else if (flagOptions.contains(name)) {
                    if (inline != null) {
                        throw new UsageException("option --" + name + " takes no value");
                    }
                    flags.add(name);
                } else {
                    throw new UsageException("unknown option --" + name);
                }
            } else if (word.startsWith("-") && word.length() > 1) {
                throw new UsageException("unknown option " + word + " (options are written --name)");
            } else {
                if (positional.size() >= maxPositional) {
                    throw new UsageException("unexpected argument '" + word + "'");
                }
                positional.add(word);
            }
        }
        return new Args(values, flags, Collections.unmodifiableList(positional));
    }

    String value(String name) {
        return values.get(name);
    }

    String value(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    List<String> positional() {
        return positional;
    }

    /** An integer option within [min, max], or {@code fallback} when absent. */
    int intValue(String name, int fallback, int min, int max) throws UsageException {
        String raw = values.get(name);
        if (raw == null) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + " must be an integer, not '" + raw + "'");
        }
        if (parsed < min || parsed > max) {
            throw new UsageException("option --" + name + " must be between " + min + " and " + max + ", not " + parsed);
        }
        return parsed;
    }
}
