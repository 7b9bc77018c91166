package dev.colo.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Karaf's {@code etc/users.properties}: users are {@code name = password,_g_:group}, groups {@code _g_\:name = roles}. */
final class UsersFile {
    static final String FILE = "users.properties";
    static final String ADMIN_GROUP = "admingroup";
    /** Roles of the admin group: every JMX operation and shell command, and SSH logins. */
    static final String ADMIN_ROLES = "group,admin,manager,viewer,systembundles,ssh";

    private UsersFile() {
    }

    /** Whether the file has at least one user (an active entry that is not a group). */
    static boolean hasUser(Path etc) throws IOException {
        Path file = etc.resolve(FILE);
        return Files.exists(file) && CfgFile.read(file).anyKey(key -> !key.startsWith("_g_:"));
    }

    /** Adds or replaces {@code user} with {@code password} in the admin group; the file becomes mode 0600. */
    static void setAdmin(Path etc, String user, String password) throws IOException {
        Path file = etc.resolve(FILE);
        CfgFile cfg = Files.exists(file) ? CfgFile.read(file) : CfgFile.parse("# Users of the JAAS realm karaf");
        cfg.set("_g_:" + ADMIN_GROUP, ADMIN_ROLES);
        cfg.set(user, password + ",_g_:" + ADMIN_GROUP);
        Secrets.writeOwnerOnly(file, cfg.text());
    }
}
