package dev.colo.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** Node ids as the pair configuration accepts them (key {@code node.id}): 1-63 of [a-z0-9-]. */
final class NodeNames {
    private static final Pattern NODE_ID = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    private NodeNames() {
    }

    /** Parses a comma-separated list of distinct node ids. */
    static List<String> parseList(String option, String raw) throws UsageException {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String part : raw.split(",", -1)) {
            String name = part.trim();
            if (!NODE_ID.matcher(name).matches()) {
                throw new UsageException("option --" + option + ": '" + name
                        + "' is not a node id (1-63 characters of a-z, 0-9 and '-', not starting or ending with '-')");
            }
            if (!names.add(name)) {
                throw new UsageException("option --" + option + ": node id '" + name + "' given twice");
            }
        }
        return new ArrayList<>(names);
    }
}
