package dev.colo.cli;

import java.io.PrintStream;
import java.util.Set;

/**
 * {@code colo jconsole}: how to open one node of the local pair in JConsole. The node's JMX connector speaks TLS with a
 * certificate of the pair's CA, so JConsole is started with the CA as its trust store; the service URL and the login
 * are then typed into its New Connection dialog (a URL given on its command line is tried without a login, which the
 * node refuses).
 */
final class JconsoleCommand implements Command {
    @Override
    public String name() {
        return "jconsole";
    }

    @Override
    public String usage() {
        return """
                jconsole [--dir DIR] [--node NODE]
                    Prints the JConsole command line for NODE (default the primary) of the pair in DIR (default
                    ./pair), with the trust store that holds the pair's CA, then what to type into its New
                    Connection dialog: the service URL (Remote Process), the user name and the password.""";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("dir", "node");
    }

    @Override
    public int run(Args args, PrintStream out) throws UsageException, CliException {
        PairFile.Node node = PairFile.readIn(PairDirs.dir(args), "start one with bin/colo pair up")
                .node(args.value("node", ""), "primary");
        out.print(lines(node));
        return 0;
    }

    /** The command line, then the fields of the New Connection dialog as comments. */
    static String lines(PairFile.Node node) {
        PairFile.Jmx jmx = node.jmx();
        String command = jmx.trustStore() == null ? "jconsole" : "jconsole -J-Djavax.net.ssl.trustStore="
                + jmx.trustStore() + " -J-Djavax.net.ssl.trustStoreType=PKCS12 \\\n    "
                + "-J-Djavax.net.ssl.trustStorePassword=" + jmx.trustStorePassword();
        return command + "\n"
                + "# then in New Connection (node " + node.nodeId() + ", " + node.role() + "):\n"
                + "#   Remote Process: " + jmx.serviceUrl() + "\n"
                + "#   Username:       " + jmx.user() + "\n"
                + "#   Password:       " + jmx.password() + "\n";
    }
}
