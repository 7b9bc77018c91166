package dev.colo.management.rmi.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.colo.testing.ThisMachine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.Remote;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import org.junit.jupiter.api.Test;

/** Real RMI on 127.0.0.1: the registry is what Karaf's management server finds and uses, across its restarts. */
class EarlyRegistryTest {
    interface Probe extends Remote {
    }

    @Test
    void shouldBeFoundAtItsAddressAndKeepBindingsAcrossAConnectorRestart() throws Exception {
        RegistryAddress address = new RegistryAddress("127.0.0.1", ThisMachine.freePort());
        try (EarlyRegistry early = EarlyRegistry.create(address)) {
            // what Karaf's RmiRegistryFactory does first: locate, and list to be sure it answers
            Registry located = LocateRegistry.getRegistry(address.host(), address.port());
            assertEquals(0, located.list().length);
            for (int restart = 0; restart < 3; restart++) { // a connector bound, dropped and bound again
                Probe probe = new Probe() { };
                Remote stub = UnicastRemoteObject.exportObject(probe, 0);
                located.rebind("karaf-colo-a", stub);
                assertArrayEquals(new String[] {"karaf-colo-a"}, located.list());
                UnicastRemoteObject.unexportObject(probe, true);
            }
            assertEquals(address, early.address());
        }
    }

    @Test
    void shouldFindTheRegistryOfAnEarlierStartWithItsBindings() throws Exception {
        RegistryAddress address = new RegistryAddress("127.0.0.1", ThisMachine.freePort());
        try (EarlyRegistry early = EarlyRegistry.createOrFind(address).orElseThrow()) {
            Registry located = LocateRegistry.getRegistry(address.host(), address.port());
            Probe probe = new Probe() { };
            located.rebind("karaf-colo-a", UnicastRemoteObject.exportObject(probe, 0));
            // the bundle stopped and started again (or was updated): the connector is still bound where it was
            assertTrue(EarlyRegistry.createOrFind(address).isEmpty());
            assertArrayEquals(new String[] {"karaf-colo-a"}, located.list());
            UnicastRemoteObject.unexportObject(probe, true);
        }
    }

    @Test
    void shouldRefuseAnAddressTakenByAnythingElse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
            RegistryAddress address = new RegistryAddress("127.0.0.1", taken.getLocalPort());
            assertThrows(IOException.class, () -> EarlyRegistry.createOrFind(address));
        }
    }
}
