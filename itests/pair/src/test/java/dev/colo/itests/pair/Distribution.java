package dev.colo.itests.pair;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the integration tests find the unpacked distribution and keep their files. */
final class Distribution {
    private Distribution() {
    }

    /** The unpacked distribution ({@code -Dcolo.distribution.home}); without it the test is skipped, saying so. */
    static Path orSkip(String what) {
        String home = System.getProperty("colo.distribution.home", "");
        Path distribution = Path.of(home).toAbsolutePath();
        assumeTrue(!home.isBlank() && Files.isRegularFile(distribution.resolve("bin/colo")),
                "The distribution is not unpacked at '" + home + "' (-Dcolo.distribution.home): build and install "
                        + "distribution/ first; skipping " + what);
        return distribution;
    }

    /** The directory of one test's files: {@code <colo.itest.work>/<name>}, created. */
    static Path work(String name) throws IOException {
        return Files.createDirectories(Path.of(System.getProperty("colo.itest.work", "target/it-work"))
                .toAbsolutePath().resolve(name));
    }
}
