package dev.colo.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Karaf's {@code etc/users.properties}: users are {@code name = password,_g_:group}, groups {@code _g_\:name = roles}. */
final class UsersFile {
    static final String FILE = "users.properties";
    static final String ADMIN_GROUP = "admingroup";
    private static final String HEADER = """
            # Users of the JAAS realm karaf: USER = PASSWORD,_g_:GROUP (read at every login). Groups: admingroup,
            # operatorgroup (may also checkpoint, fail over, re-protect), viewergroup (may read).""";
    /**
     * The appliance's groups and their roles (etc/jmx.acl.dev.colo.cfg says what each role may do): admin may do
     * everything (and SSH), operator may also checkpoint, fail over and re-protect, viewer may read.
     */
    static final Map<String, String> GROUPS = groups();

    private static Map<String, String> groups() {
        Map<String, String> groups = new LinkedHashMap<>();
        groups.put(ADMIN_GROUP, "group,admin,manager,viewer,operator,systembundles,ssh");
        groups.put("operatorgroup", "group,operator,viewer");
        groups.put("viewergroup", "group,viewer");
        return java.util.Collections.unmodifiableMap(groups);
    }

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
        CfgFile cfg = Files.exists(file) ? CfgFile.read(file) : CfgFile.parse(HEADER);
        GROUPS.forEach((group, roles) -> cfg.set("_g_:" + group, roles));
        cfg.set(user, password + ",_g_:" + ADMIN_GROUP);
        Secrets.writeOwnerOnly(file, cfg.text());
    }
}
