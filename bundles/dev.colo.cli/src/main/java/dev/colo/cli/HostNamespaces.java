package dev.colo.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code pair up --netns}: each node in a network namespace of its own, as on a host of its own (root and
 * iproute2 needed). Two networks join them:
 * <ul>
 *   <li>the pair link, a veth pair between the two namespaces ({@value #LINK_NET}.1 and .2): the peer link, the
 *       replication and the mirrored client traffic cross only it, so cutting it parts the nodes;</li>
 *   <li>per node, a veth pair to this host ({@value #FRONT_NET}.N.1 here, .N.2 in the namespace): management (JMX,
 *       SSH), the NBD exports, the MQTT broker (on {@value #FRONT_NET}.1.1), and clients.</li>
 * </ul>
 * Clients reach the protected service at {@value #SERVICE_ADDRESS}, which both nodes hold on their loopback; this
 * host routes it to the primary's namespace, and a node that takes over moves the route to itself (its
 * {@code takeover.command}), as a virtual IP moves between real hosts. Fixed subnets: one such pair per host.
 */
final class HostNamespaces {
    static final String LINK_NET = "10.201.0";
    static final String FRONT_NET = "10.202";
    static final String SERVICE_ADDRESS = "10.203.0.1";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    /** One node's place: its namespace, its addresses on both networks, the device of its end of the pair link. */
    record Place(String netns, String address, String linkAddress, String linkDevice, String hostSideAddress) {
    }

    /** The namespaces of a pair: {@code hostNamespace} names this host's own namespace (for takeover commands). */
    record Layout(String hostNamespace, List<Place> places) {
    }

    private HostNamespaces() {
    }

    /** The layout for a pair tagged {@code tag} (4 hex digits, unique per pair directory). */
    static Layout layout(String tag) {
        List<Place> places = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            char side = (char) ('a' + i - 1);
            places.add(new Place("colo-" + tag + "-" + side, FRONT_NET + "." + i + ".2", LINK_NET + "." + i,
                    "cl" + tag + side, FRONT_NET + "." + i + ".1"));
        }
        return new Layout("colo-" + tag + "-host", List.copyOf(places));
    }

    /** Creates the namespaces and networks of {@code layout}; on failure removes what it made and says why. */
    static void create(Layout layout) throws CliException {
        refuseTakenAddresses();
        try {
            ip("netns", "attach", layout.hostNamespace(), Long.toString(ProcessHandle.current().pid()));
            Place a = layout.places().get(0);
            Place b = layout.places().get(1);
            for (Place place : layout.places()) {
                ip("netns", "add", place.netns());
                ip("-n", place.netns(), "link", "set", "lo", "up");
                ip("-n", place.netns(), "addr", "add", SERVICE_ADDRESS + "/32", "dev", "lo");
                String front = place.linkDevice() + "f";
                ip("link", "add", front + "0", "type", "veth", "peer", "name", front);
                ip("link", "set", front, "netns", place.netns());
                ip("addr", "add", place.hostSideAddress() + "/24", "dev", front + "0");
                ip("link", "set", front + "0", "up");
                ip("-n", place.netns(), "addr", "add", place.address() + "/24", "dev", front);
                ip("-n", place.netns(), "link", "set", front, "up");
                ip("-n", place.netns(), "route", "add", "default", "via", place.hostSideAddress());
            }
            ip("link", "add", a.linkDevice(), "type", "veth", "peer", "name", b.linkDevice());
            for (Place place : layout.places()) {
                ip("link", "set", place.linkDevice(), "netns", place.netns());
                ip("-n", place.netns(), "addr", "add", place.linkAddress() + "/24", "dev", place.linkDevice());
                ip("-n", place.netns(), "link", "set", place.linkDevice(), "up");
            }
            ip("route", "add", SERVICE_ADDRESS + "/32", "via", a.address());
        } catch (CliException e) {
            delete(layout);
            throw e;
        }
    }

    /** Removes the namespaces (their devices go with them, and the routes through those) and the host's handle. */
    static void delete(Layout layout) {
        delete(layout.hostNamespace(), layout.places().stream().map(Place::netns).toList());
    }

    /** {@link #delete(Layout)} by names, as {@code pair.json} records them. */
    static void delete(String hostNamespace, List<String> namespaces) {
        namespaces.forEach(netns -> quietly("netns", "del", netns));
        quietly("netns", "del", hostNamespace); // only the name: this host's namespace lives on
    }

    /** The takeover command of the node at {@code place}: this host routes the service address to it. */
    static String takeoverCommand(Layout layout, Place place) {
        return "ip netns exec " + layout.hostNamespace() + " ip route replace " + SERVICE_ADDRESS + "/32 via "
                + place.address();
    }

    /** The command that starts {@code command} inside {@code netns}. */
    static List<String> inside(String netns, List<String> command) {
        List<String> inside = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        inside.addAll(command);
        return inside;
    }

    private static void refuseTakenAddresses() throws CliException {
        String addresses = ip("-4", "-o", "addr", "show") + ip("-4", "route", "show");
        for (String net : List.of(LINK_NET + ".", FRONT_NET + ".", SERVICE_ADDRESS)) {
            if (addresses.contains(" " + net)) {
                throw new CliException("--netns needs " + LINK_NET + ".0/24, " + FRONT_NET + ".1-2.0/24 and "
                        + SERVICE_ADDRESS + " unused on this host, but " + net + "* is in use (another pair up "
                        + "--netns? stop it with bin/colo pair down)");
            }
        }
    }

    private static void quietly(String... args) {
        try {
            ip(args);
        } catch (CliException ignored) {
            // already gone
        }
    }

    private static String ip(String... args) throws CliException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        try {
            Processes.Finished ip = Processes.run(command, Map.of(), COMMAND_TIMEOUT);
            if (ip.exit() == -1) {
                throw new CliException(String.join(" ", command) + " did not finish");
            }
            if (ip.exit() != 0) {
                throw new CliException(String.join(" ", command) + " failed (--netns needs root and iproute2): "
                        + ip.output().strip());
            }
            return ip.output();
        } catch (IOException e) {
            throw new CliException("--netns needs iproute2 (apt-get install iproute2): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted: " + String.join(" ", command), e);
        }
    }
}
