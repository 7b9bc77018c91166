package dev.colo.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code colo credentials}: a random password for an admin user (JMX and SSH), written into
 * etc/users.properties and etc/colo-credentials (0600), and printed.
 */
final class CredentialsCommand implements Command {
    static final String CREDENTIALS_FILE = "colo-credentials";
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9._-]{0,31}");

    @Override
    public String name() {
        return "credentials";
    }

    @Override
    public String usage() {
        return """
                credentials [--if-missing] [--user NAME] [--etc DIR]
                    Generates a random password for the admin user NAME (default admin; JMX and SSH, group
                    admingroup), writes it into DIR/users.properties and DIR/colo-credentials (mode 0600) and
                    prints it. DIR: the node's etc/ ($KARAF_ETC, else this installation's etc/).
                    --if-missing: do nothing when users.properties already has a user.""";
    }

    @Override
    public int run(Args args, PrintStream out) throws UsageException, CliException {
        String user = args.value("user", "admin");
        if (!USER_NAME.matcher(user).matches()) {
            throw new UsageException("option --user: '" + user
                    + "' is not a user name (a letter, then up to 31 of letters, digits, '.', '_', '-')");
        }
        Path etc = ColoHome.etc(args.value("etc"));
        if (!Files.isDirectory(etc)) {
            throw new CliException("etc directory " + etc + " does not exist");
        }
        try {
            if (args.flag("if-missing") && UsersFile.hasUser(etc)) {
                out.println("colo: " + etc.resolve(UsersFile.FILE) + " already has a user; nothing changed");
                return 0;
            }
            String password = Secrets.password();
            UsersFile.setAdmin(etc, user, password);
            Path credentials = etc.resolve(CREDENTIALS_FILE);
            Secrets.writeOwnerOnly(credentials, "# Admin login of this node (JMX and SSH), made by bin/colo credentials\n"
                    + "user=" + user + "\npassword=" + password + "\n");
            out.println("colo: admin credentials for JMX and SSH (also in " + credentials + ", mode 0600):");
            out.println("  user:     " + user);
            out.println("  password: " + password);
            return 0;
        } catch (IOException e) {
            throw new CliException("cannot write the credentials into " + etc + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("user", "etc");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("if-missing");
    }
}
