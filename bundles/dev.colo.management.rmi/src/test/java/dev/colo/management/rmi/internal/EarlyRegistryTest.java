package dev.colo.management.rmi.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.colo.testing.ThisMachine;
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
}
