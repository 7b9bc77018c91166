package dev.colo.cli;

import java.nio.file.Path;

/** The {@code --dir} of the pair commands: default ./pair, made absolute. */
final class PairDirs {
    static final String DEFAULT_DIR = "pair";

    private PairDirs() {
    }

    static Path dir(Args args) {
        return Path.of(args.value("dir", DEFAULT_DIR)).toAbsolutePath().normalize();
    }
}
