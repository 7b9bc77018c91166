package dev.colo.cli;

import java.io.PrintStream;
import java.util.Set;

/**
 * {@code colo jconsole}: the JConsole command line for one node of the local pair. The node's JMX connector speaks
 * TLS with a certificate of the pair's CA, so JConsole needs the CA as its trust store; it asks for the login.
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
                    ./pair): its service URL and the trust store with the pair's CA, then the login to type in.""";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("dir", "node");
    }

    @Override
    public int run(Args args, PrintStream out) throws UsageException, CliException {
        PairFile.Node node = PairFile.readIn(PairDirs.dir(args), "start one with bin/colo pair up")
                .node(args.value("node", ""), "primary");
        PairFile.Jmx jmx = node.jmx();
        if (jmx.trustStore() == null) {
            out.println("jconsole '" + jmx.serviceUrl() + "'");
        } else {
            out.println("jconsole -J-Djavax.net.ssl.trustStore=" + jmx.trustStore()
                    + " -J-Djavax.net.ssl.trustStoreType=PKCS12 -J-Djavax.net.ssl.trustStorePassword="
                    + jmx.trustStorePassword() + " \\\n    '" + jmx.serviceUrl() + "'");
        }
        out.println("# login: " + jmx.user() + " / " + jmx.password() + " (node " + node.nodeId() + ", " + node.role()
                + ")");
        return 0;
    }
}
