package dev.colo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeInstanceTest {
    private static final NodeInstance.Ports PORTS = new NodeInstance.Ports(41001, 41002, 41003, 41004, 41005, 41006,
            41007, 41008);

    @Test
    void shouldCopyAndEditTheNodesEtc(@TempDir Path tmp) throws Exception {
        Path installEtc = Files.createDirectories(tmp.resolve("install/etc"));
        Files.writeString(installEtc.resolve(NodeInstance.PAIR_CFG),
                "# pair\nnode.id = colo-a\nrole = primary\nlisten.address = 0.0.0.0\nlisten.port = 7800\n"
                        + "peer.host = colo-b\npeer.port = 7800\ntls.keystore.password =\nheartbeat.timeout.ms = 1000\n");
        Files.writeString(installEtc.resolve(NodeInstance.MANAGEMENT_CFG), "rmiRegistryPort = 1099\nrmiServerPort = 44444\n");
        Files.writeString(installEtc.resolve(NodeInstance.SHELL_CFG), "sshPort = 8101\nsshHost = 0.0.0.0\n");
        Files.writeString(installEtc.resolve(NodeInstance.SYSTEM_PROPERTIES), "karaf.name = root\n");
        Files.writeString(installEtc.resolve(NodeInstance.MQTT_CFG), "# mqtt\nbroker.urls =\n");
        Files.writeString(installEtc.resolve(UsersFile.FILE), "installer = secret,_g_:admingroup\n");
        Files.writeString(installEtc.resolve("host.key"), "KEY");
        Path home = tmp.resolve("pair/colo-b");
        Pki.NodeMaterial tls = new Pki.NodeMaterial("colo-b", home.resolve("etc/tls/node.p12"), "kp",
                home.resolve("etc/tls/trust.p12"), "tp", "AA:BB");

        NodeInstance.copyEtc(installEtc, home);
        NodeInstance.configure(home, new NodeInstance.Spec("colo-b", "secondary", PORTS, PairFile.Host.LOOPBACK,
                PairFile.Host.LOOPBACK, 42001, 42006, tls, "CC:DD", "pw", "5eed",
                new PairFile.Service("kv", "127.0.0.1", 43000), 0, "tcp://127.0.0.1:43001", ""));

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
        assertEquals(Optional.of("tcp://127.0.0.1:43001"),
                CfgFile.read(etc.resolve(NodeInstance.MQTT_CFG)).get("broker.urls"));

        CfgFile scratch = CfgFile.read(etc.resolve(NodeInstance.SCRATCH_EXPORT_CFG));
        assertEquals(Optional.of("scratch"), scratch.get("name"));
        assertEquals(Optional.of("41005"), scratch.get("port"));
        assertEquals(Optional.of(home.resolve("data/scratch.img").toString()), scratch.get("path"));
        assertEquals(Optional.of("127.0.0.1"), scratch.get("bind.address"));
        assertEquals("nbd://127.0.0.1:41005/scratch",
                NodeInstance.nbdUri("127.0.0.1", PORTS));

        CfgFile guest = CfgFile.read(etc.resolve(NodeInstance.GUEST_CFG));
        assertEquals(Optional.of("41008"), guest.get("listen.port"));
        assertEquals(Optional.of("disk0"), guest.get("disk"));
        CfgFile service = CfgFile.read(etc.resolve(NodeInstance.SERVICE_CFG));
        assertEquals(Optional.of("43000"), service.get("listen.port"), "the service port, the same on both nodes");
        assertEquals(Optional.of("41008"), service.get("guest.port"), "this node's guest");

        Path data = home.resolve("data");
        CfgFile disk = CfgFile.read(etc.resolve("dev.colo.replication.disk-disk0.cfg"));
        assertEquals(Optional.of("disk0"), disk.get("name"));
        assertEquals(Optional.of(data.resolve("disk0.img").toString()), disk.get("local.path"));
        assertEquals(Optional.of(data.resolve("disk0-active.img").toString()), disk.get("active.path"));
        assertEquals(Optional.of(data.resolve("disk0-hidden.img").toString()), disk.get("hidden.path"));
        assertEquals(Optional.of("1073741824"), disk.get("size.bytes"));
        assertEquals(Optional.of("sync"), disk.get("mode"));
        assertEquals(Optional.of("41006"), disk.get("replication.port"));
        assertEquals(Optional.of("42006"), disk.get("peer.replication.port"));
        assertEquals(Optional.of("127.0.0.1"), disk.get("export.bind.address"));
        assertEquals(Optional.of("41007"), disk.get("export.port"));
        assertFalse(Files.exists(data.resolve("disk0.img")), "the node creates its local disk itself");
        assertEquals(1L << 30, Files.size(data.resolve("disk0-active.img")));
        assertEquals(1L << 30, Files.size(data.resolve("disk0-hidden.img")));
        assertEquals(new PairFile.Disk("disk0", "nbd://127.0.0.1:41007/disk0-view", data.resolve("disk0.img"),
                data.resolve("disk0-active.img"), data.resolve("disk0-hidden.img"), 41006), NodeInstance.disk(home, "127.0.0.1", PORTS));

        String users = Files.readString(etc.resolve(UsersFile.FILE));
        assertTrue(users.contains("admin = pw,_g_:admingroup"), users);
        assertTrue(users.contains("_g_\\:viewergroup = group,viewer"), "the appliance's groups: " + users);
        assertTrue(users.contains("_g_\\:operatorgroup = group,operator,viewer"), users);
        assertFalse(users.contains("installer"), users);
        assertFalse(Files.exists(etc.resolve("host.key")));
        assertTrue(Files.isDirectory(home.resolve("data/log")));
        assertEquals("service:jmx:rmi://127.0.0.1:41003/jndi/rmi://127.0.0.1:41002/karaf-colo-b",
                NodeInstance.jmxServiceUrl("colo-b", "127.0.0.1", PORTS));
        assertFalse(Files.exists(etc.resolve(NodeInstance.FAILOVER_CFG)), "no takeover command on one host");
    }

    @Test
    void aNodeInANetworkNamespaceServesOnItsAddressesAndMovesTheServiceAddressWhenItTakesOver(@TempDir Path tmp)
            throws Exception {
        Path installEtc = Files.createDirectories(tmp.resolve("install/etc"));
        for (String file : List.of(NodeInstance.PAIR_CFG, NodeInstance.MANAGEMENT_CFG, NodeInstance.SHELL_CFG,
                NodeInstance.SYSTEM_PROPERTIES, NodeInstance.MQTT_CFG)) {
            Files.writeString(installEtc.resolve(file), "# " + file + "\n");
        }
        Path home = tmp.resolve("pair/colo-b");
        Pki.NodeMaterial tls = new Pki.NodeMaterial("colo-b", home.resolve("etc/tls/node.p12"), "kp",
                home.resolve("etc/tls/trust.p12"), "tp", "AA:BB");
        PairFile.Host host = new PairFile.Host("10.202.2.2", "colo-1234-b", "10.201.0.2", "cl1234b");
        PairFile.Host peer = new PairFile.Host("10.202.1.2", "colo-1234-a", "10.201.0.1", "cl1234a");
        NodeInstance.copyEtc(installEtc, home);
        NodeInstance.configure(home, new NodeInstance.Spec("colo-b", "secondary", PORTS, host, peer, 42001, 42006, tls,
                "CC:DD", "pw", "5eed", new PairFile.Service("kv", "10.203.0.1", 43000), 0, "tcp://10.202.1.1:43001",
                "ip netns exec colo-1234-host ip route replace 10.203.0.1/32 via 10.202.2.2"));

        Path etc = NodeInstance.etc(home);
        CfgFile pair = CfgFile.read(etc.resolve(NodeInstance.PAIR_CFG));
        assertEquals(Optional.of("10.201.0.2"), pair.get("listen.address"), "the peer link on the pair link");
        assertEquals(Optional.of("10.201.0.1"), pair.get("peer.host"));
        assertEquals(Optional.of("10.202.2.2"), CfgFile.read(etc.resolve(NodeInstance.SHELL_CFG)).get("sshHost"));
        assertEquals(Optional.of("10.202.2.2"), CfgFile.read(etc.resolve(NodeInstance.MANAGEMENT_CFG))
                .get("rmiServerHost"));
        CfgFile service = CfgFile.read(etc.resolve(NodeInstance.SERVICE_CFG));
        assertEquals(Optional.of("10.203.0.1"), service.get("listen.address"), "clients use the service address");
        assertEquals(Optional.of("10.202.2.2"), service.get("guest.host"));
        assertEquals(Optional.of("ip netns exec colo-1234-host ip route replace 10.203.0.1/32 via 10.202.2.2"),
                CfgFile.read(etc.resolve(NodeInstance.FAILOVER_CFG)).get("takeover.command"));
        assertEquals(List.of("ip", "netns", "exec", "colo-1234-b", "/opt/colo/bin/karaf", "daemon"),
                NodeInstance.command(Path.of("/opt/colo"), host));
    }

    @Test
    void shouldWriteTheDiskCfgText() {
        PairFile.Disk disk = new PairFile.Disk("disk0", "nbd://127.0.0.1:41007/disk0-view", Path.of("/p/colo-a/data/disk0.img"),
                Path.of("/p/colo-a/data/disk0-active.img"), Path.of("/p/colo-a/data/disk0-hidden.img"), 41006);

        String text = NodeInstance.diskCfg(disk, 1L << 30, "127.0.0.1", 41007, 42006, "5eed");

        assertTrue(text.startsWith("# Protected disk disk0 of this local node"), text);
        assertTrue(text.endsWith("""
                name = disk0
                local.path = /p/colo-a/data/disk0.img
                active.path = /p/colo-a/data/disk0-active.img
                hidden.path = /p/colo-a/data/disk0-hidden.img
                size.bytes = 1073741824
                mode = sync
                replication.port = 41006
                peer.replication.port = 42006
                export.bind.address = 127.0.0.1
                export.port = 41007
                # Both nodes' disks are created empty together: the same history, so protecting them copies nothing.
                initial.generation = 5eed
                """), text);
    }

    @Test
    void shouldCreateTheOverlaysSparse(@TempDir Path tmp) throws Exception {
        PairFile.Disk disk = NodeInstance.disk(tmp.resolve("colo-b"), "127.0.0.1", PORTS);

        NodeInstance.createOverlays(disk, NodeInstance.DISK_BYTES);

        for (Path overlay : List.of(disk.activePath(), disk.hiddenPath())) {
            assertEquals(1L << 30, Files.size(overlay), overlay.toString());
            long allocated = allocatedBytes(overlay);
            assertTrue(allocated < 1 << 20, overlay + " is not sparse: " + allocated + " bytes allocated");
        }
        assertFalse(Files.exists(disk.localPath()));
        assertThrows(FileAlreadyExistsException.class, () -> NodeInstance.createOverlays(disk, NodeInstance.DISK_BYTES),
                "never reuses an overlay with old content");
    }

    /** Bytes the file system allocated for {@code file} ({@code stat}: blocks times block size). */
    private static long allocatedBytes(Path file) throws Exception {
        Process stat;
        try {
            stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("no stat(1) to tell allocated blocks: " + e.getMessage());
            return -1;
        }
        String out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        Assumptions.assumeTrue(stat.waitFor() == 0, "stat(1) failed: " + out);
        String[] fields = out.split(" ");
        return Long.parseLong(fields[0]) * Long.parseLong(fields[1]);
    }
}
