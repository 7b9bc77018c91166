package dev.colo.management.rmi.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.rmi.NoSuchObjectException;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.ExportException;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.RMISocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.util.Optional;

/**
 * An RMI registry bound to one address and port for as long as this object is open (or, for the appliance, as long
 * as the JVM runs: Karaf's JMX connector is bound in it and outlives the bundle that created it).
 */
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

    /**
     * Creates the registry, or finds the one already listening at the address (created by an earlier start of this
     * bundle, in whose registry Karaf's connector is still bound); empty when one was found.
     *
     * @throws IOException when the address is taken by something that is not an RMI registry, or cannot be bound
     */
    static Optional<EarlyRegistry> createOrFind(RegistryAddress address) throws IOException {
        try {
            return Optional.of(create(address));
        } catch (ExportException taken) {
            try {
                LocateRegistry.getRegistry(address.host().isEmpty() ? null : address.host(), address.port(),
                        new ImpatientSockets()).list();
                return Optional.empty();
            } catch (RemoteException notARegistry) {
                throw taken;
            }
        }
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
     * Client sockets that give up on a peer silent for a second (the port's owner may not speak RMI). RMI sets its own
     * handshake timeout (a minute) on the socket, which is kept to this one.
     */
    private record ImpatientSockets() implements RMIClientSocketFactory {
        private static final int PATIENCE_MILLIS = 1000;

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            Socket socket = new Socket() {
                @Override
                public void setSoTimeout(int timeout) throws SocketException {
                    super.setSoTimeout(timeout == 0 ? PATIENCE_MILLIS : Math.min(timeout, PATIENCE_MILLIS));
                }
            };
            socket.connect(new InetSocketAddress(host, port), PATIENCE_MILLIS);
            socket.setSoTimeout(PATIENCE_MILLIS);
            return socket;
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
