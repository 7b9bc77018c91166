package dev.colo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeInstanceTest {

    @Test
    void shouldCopyAndEditTheNodesEtc(@TempDir Path tmp) throws Exception {
        Path installEtc = Files.createDirectories(tmp.resolve("install/etc"));
        Files.writeString(installEtc.resolve(NodeInstance.PAIR_CFG),
                "# pair\nnode.id = colo-a\nrole = primary\nlisten.address = 0.0.0.0\nlisten.port = 7800\n"
                        + "peer.host = colo-b\npeer.port = 7800\ntls.keystore.password =\nheartbeat.timeout.ms = 1000\n");
        Files.writeString(installEtc.resolve(NodeInstance.MANAGEMENT_CFG), "rmiRegistryPort = 1099\nrmiServerPort = 44444\n");
        Files.writeString(installEtc.resolve(NodeInstance.SHELL_CFG), "sshPort = 8101\nsshHost = 0.0.0.0\n");
        Files.writeString(installEtc.resolve(NodeInstance.SYSTEM_PROPERTIES), "karaf.name = root\n");
        Files.writeString(installEtc.resolve(UsersFile.FILE), "installer = secret,_g_:admingroup\n");
        Files.writeString(installEtc.resolve("host.key"), "KEY");
        Path home = tmp.resolve("pair/colo-b");
        Pki.NodeMaterial tls = new Pki.NodeMaterial("colo-b", home.resolve("etc/tls/node.p12"), "kp",
                home.resolve("etc/tls/trust.p12"), "tp", "AA:BB");

        NodeInstance.copyEtc(installEtc, home);
        NodeInstance.configure(home, new NodeInstance.Spec("colo-b", "secondary",
                new NodeInstance.Ports(41001, 41002, 41003, 41004, 41005), 42001, tls, "CC:DD", "pw"));

        Path etc = NodeInstance.etc(home);
        CfgFile pair = CfgFile.read(etc.resolve(NodeInstance.PAIR_CFG));
        assertEquals(Optional.of("colo-b"), pair.get("node.id"));
        assertEquals(Optional.of("secondary"), pair.get("role"));
        assertEquals(Optional.of("127.0.0.1"), pair.get("listen.address"));
        assertEquals(Optional.of("41001"), pair.get("listen.port"));
        assertEquals(Optional.of("127.0.0.1"), pair.get("peer.host"));
        assertEquals(Optional.of("42001"), pair.get("peer.port"));
        assertEquals(Optional.of("kp"), pair.get("tls.keystore.password"));
        assertEquals(Optional.of("tp"), pair.get("tls.truststore.password"));
        assertEquals(Optional.of("CC:DD"), pair.get("tls.peer.fingerprint.sha256"));
        assertEquals(Optional.of("1000"), pair.get("heartbeat.timeout.ms"));
        assertTrue(Files.readString(etc.resolve(NodeInstance.PAIR_CFG)).startsWith("# pair\n"));

        CfgFile management = CfgFile.read(etc.resolve(NodeInstance.MANAGEMENT_CFG));
        assertEquals(Optional.of("41002"), management.get("rmiRegistryPort"));
        assertEquals(Optional.of("41003"), management.get("rmiServerPort"));
        assertEquals(Optional.of("41004"), CfgFile.read(etc.resolve(NodeInstance.SHELL_CFG)).get("sshPort"));
        assertEquals(Optional.of("127.0.0.1"), CfgFile.read(etc.resolve(NodeInstance.SHELL_CFG)).get("sshHost"));
        assertEquals(Optional.of("colo-b"), CfgFile.read(etc.resolve(NodeInstance.SYSTEM_PROPERTIES)).get("karaf.name"));

        CfgFile scratch = CfgFile.read(etc.resolve(NodeInstance.SCRATCH_EXPORT_CFG));
        assertEquals(Optional.of("scratch"), scratch.get("name"));
        assertEquals(Optional.of("41005"), scratch.get("port"));
        assertEquals(Optional.of(home.resolve("data/scratch.img").toString()), scratch.get("path"));
        assertEquals(Optional.of("127.0.0.1"), scratch.get("bind.address"));
        assertEquals("nbd://127.0.0.1:41005/scratch",
                NodeInstance.nbdUri(new NodeInstance.Ports(41001, 41002, 41003, 41004, 41005)));

        String users = Files.readString(etc.resolve(UsersFile.FILE));
        assertTrue(users.contains("admin = pw,_g_:admingroup"), users);
        assertFalse(users.contains("installer"), users);
        assertFalse(Files.exists(etc.resolve("host.key")));
        assertTrue(Files.isDirectory(home.resolve("data/log")));
        assertEquals("service:jmx:rmi://127.0.0.1:41003/jndi/rmi://127.0.0.1:41002/karaf-colo-b",
                NodeInstance.jmxServiceUrl("colo-b", new NodeInstance.Ports(41001, 41002, 41003, 41004, 41005)));
    }
}
