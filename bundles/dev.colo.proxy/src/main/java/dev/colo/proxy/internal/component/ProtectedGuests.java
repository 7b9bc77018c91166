package dev.colo.proxy.internal.component;

import dev.colo.api.guest.ProtectedGuest;
import dev.colo.proxy.internal.config.ServiceSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The protected guests of this node, and which service each one serves: a service can be protected only when
 * its guest is one the checkpoints capture and restore (otherwise a checkpoint could not make the secondary's
 * guest the primary's, and a difference would repeat for ever).
 */
final class ProtectedGuests {
    private final List<ProtectedGuest> guests = new CopyOnWriteArrayList<>();

    void add(ProtectedGuest guest) {
        guests.add(guest);
    }

    void remove(ProtectedGuest guest) {
        guests.remove(guest);
    }

    /** Whether a protected guest listens where {@code service} forwards. */
    boolean serve(ServiceSettings service) {
        return serving(service).isPresent();
    }

    /** The protected guest that listens where {@code service} forwards. */
    Optional<ProtectedGuest> serving(ServiceSettings service) {
        return guests.stream().filter(guest -> serves(guest.endpoint(), service.guestHost(), service.guestPort()))
                .findFirst();
    }

    List<ProtectedGuest> all() {
        return List.copyOf(guests);
    }

    /** The same port, and the same address (a wildcard matches any; loopback addresses match each other). */
    static boolean serves(InetSocketAddress endpoint, String host, int port) {
        if (endpoint.getPort() != port) {
            return false;
        }
        InetAddress listening = endpoint.getAddress();
        if (listening == null || listening.isAnyLocalAddress()) {
            return true;
        }
        try {
            InetAddress target = InetAddress.getByName(host);
            return target.equals(listening) || (target.isLoopbackAddress() && listening.isLoopbackAddress());
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
