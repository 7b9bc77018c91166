package dev.colo.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The installation this CLI belongs to: {@code -Dcolo.home} (set by bin/colo), else two levels above lib/colo/. */
final class ColoHome {
    private ColoHome() {
    }

    static Path home() throws CliException {
        String property = System.getProperty("colo.home");
        Path home;
        if (property != null && !property.isBlank()) {
            home = Path.of(property);
        } else {
            try {
                Path jar = Path.of(ColoHome.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                home = jar.getParent().getParent().getParent();
            } catch (URISyntaxException | NullPointerException e) {
                throw new CliException("cannot tell where the appliance is installed: run bin/colo, or set -Dcolo.home");
            }
        }
        home = home.toAbsolutePath().normalize();
        if (!Files.isRegularFile(home.resolve("bin/karaf")) || !Files.isDirectory(home.resolve("etc"))) {
            throw new CliException(home + " is not an appliance installation (no bin/karaf or etc/)");
        }
        return home;
    }

    /** The etc/ directory of a node: {@code --etc}, else $KARAF_ETC, else the installation's etc/. */
    static Path etc(String option) throws CliException {
        if (option != null) {
            return Path.of(option).toAbsolutePath().normalize();
        }
        String env = System.getenv("KARAF_ETC");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        return home().resolve("etc");
    }
}
