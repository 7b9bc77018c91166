package dev.colo.management.rmi.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.NoSuchObjectException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.RMISocketFactory;
import java.rmi.server.UnicastRemoteObject;

/** An RMI registry bound to one address and port for as long as this object is open. */
final class EarlyRegistry implements AutoCloseable {
    private final Registry registry;
    private final RegistryAddress address;

    private EarlyRegistry(Registry registry, RegistryAddress address) {
        this.registry = registry;
        this.address = address;
    }

    static EarlyRegistry create(RegistryAddress address) throws IOException {
        RMIServerSocketFactory sockets = address.host().isEmpty() ? null : new BoundSockets(
                InetAddress.getByName(address.host()));
        Registry registry = sockets == null ? LocateRegistry.createRegistry(address.port())
                : LocateRegistry.createRegistry(address.port(), RMISocketFactory.getDefaultSocketFactory(), sockets);
        return new EarlyRegistry(registry, address);
    }

    RegistryAddress address() {
        return address;
    }

    @Override
    public void close() {
        try {
            UnicastRemoteObject.unexportObject(registry, true);
        } catch (NoSuchObjectException alreadyGone) {
            // nothing to release
        }
    }

    /**
     * Server sockets on one address. Equal to every other instance for the same address, so that the RMI
     * runtime shares one listening socket among exports to it.
     */
    private record BoundSockets(InetAddress address) implements RMIServerSocketFactory {
        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 0, address);
        }
    }
}
