package dev.colo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairFileTest {
    private static PairFile.Disk disk(Path home, int viewPort, int replicationPort) {
        Path data = home.resolve("data");
        return new PairFile.Disk("disk0", "nbd://127.0.0.1:" + viewPort + "/disk0-view", data.resolve("disk0.img"),
                data.resolve("disk0-active.img"), data.resolve("disk0-hidden.img"), replicationPort);
    }

    private static PairFile.Pair pair(Path dir) {
        return new PairFile.Pair(PairFile.State.UP, Path.of("/opt/colo"), List.of(
                new PairFile.Node("colo-a", "primary", 1234, dir.resolve("colo-a"),
                        new PairFile.Jmx("service:jmx:rmi://127.0.0.1:2/jndi/rmi://127.0.0.1:1/karaf-colo-a", "admin",
                                "pw-a", dir.resolve("colo-a/etc/tls/trust.p12"), "trust-a"), 40001, 40002,
                        "nbd://127.0.0.1:40005/scratch", List.of(disk(dir.resolve("colo-a"), 40008, 40007)), 40011,
                        PairFile.Host.LOOPBACK),
                new PairFile.Node("colo-b", "secondary", 1235, dir.resolve("colo-b"),
                        new PairFile.Jmx("service:jmx:rmi://127.0.0.1:4/jndi/rmi://127.0.0.1:3/karaf-colo-b", "admin",
                                "pw-b", dir.resolve("colo-b/etc/tls/trust.p12"), "trust-b"), 40003, 40004,
                        "nbd://127.0.0.1:40006/scratch", List.of(disk(dir.resolve("colo-b"), 40010, 40009)), 40012,
                        new PairFile.Host("10.202.2.2", "colo-1234-b", "10.201.0.2", "cl1234b"))),
                new PairFile.Service("kv", "127.0.0.1", 40013),
                new PairFile.Mqtt("tcp://127.0.0.1:40014", 1236, dir.resolve("broker")), "colo-1234-host");
    }

    @Test
    void shouldWriteAndReadBack(@TempDir Path dir) throws Exception {
        Path file = PairFile.in(dir);

        PairFile.write(file, pair(dir));

        assertEquals(pair(dir), PairFile.read(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void shouldWriteTheDocumentedFieldNames(@TempDir Path dir) throws Exception {
        PairFile.write(PairFile.in(dir), pair(dir));

        Map<String, Object> root = JSON.std.mapFrom(Files.readString(PairFile.in(dir)));
        assertEquals("up", root.get("state"));
        @SuppressWarnings("unchecked")
        Map<String, Object> first = (Map<String, Object>) ((List<Object>) root.get("nodes")).get(0);
        for (String key : List.of("nodeId", "role", "pid", "home", "jmxServiceUrl", "jmxUser", "jmxPassword",
                "jmxTrustStore", "jmxTrustStorePassword", "peerLinkPort", "sshPort", "nbdUri")) {
            assertTrue(first.containsKey(key), key);
        }
        assertEquals(1234, ((Number) first.get("pid")).intValue());
        @SuppressWarnings("unchecked")
        List<Object> disks = (List<Object>) first.get("disks");
        assertEquals(1, disks.size());
        assertEquals(Map.of("name", "disk0", "nbdUri", "nbd://127.0.0.1:40008/disk0-view",
                "localPath", dir.resolve("colo-a/data/disk0.img").toString(),
                "activePath", dir.resolve("colo-a/data/disk0-active.img").toString(),
                "hiddenPath", dir.resolve("colo-a/data/disk0-hidden.img").toString(),
                "replicationPort", 40007), disks.get(0));
    }

    @Test
    void shouldReadAFileFromBeforeDisksAsNodesWithoutDisks(@TempDir Path dir) throws Exception {
        Files.writeString(PairFile.in(dir), """
                {"state":"up","installation":"/opt/colo","nodes":[{"nodeId":"colo-a","role":"primary","pid":1234,
                  "home":"/tmp/pair/colo-a","jmxServiceUrl":"service:jmx:rmi://x","jmxUser":"admin","jmxPassword":"pw",
                  "peerLinkPort":40001,"sshPort":40002,"nbdUri":"nbd://127.0.0.1:40003/scratch"}]}
                """);

        PairFile.Pair read = PairFile.read(PairFile.in(dir));

        assertEquals(List.of(new PairFile.Node("colo-a", "primary", 1234, Path.of("/tmp/pair/colo-a"),
                new PairFile.Jmx("service:jmx:rmi://x", "admin", "pw", null, null), 40001, 40002, "nbd://127.0.0.1:40003/scratch", List.of(), 0,
                PairFile.Host.LOOPBACK)),
                read.nodes());
        assertEquals(null, read.service(), "a file from before the pair had a service");
        assertEquals(null, read.mqtt(), "nor a broker");
        PairFile.write(PairFile.in(dir), read.withState(PairFile.State.DOWN));
        assertEquals(List.of(), PairFile.read(PairFile.in(dir)).nodes().get(0).disks());
    }

    @Test
    void shouldNameWhatIsWrongWithADisk(@TempDir Path dir) throws Exception {
        Path file = PairFile.in(dir);
        String node = "{\"nodeId\":\"colo-a\",\"role\":\"primary\",\"pid\":1,\"home\":\"/h\",\"jmxServiceUrl\":\"u\","
                + "\"jmxUser\":\"admin\",\"jmxPassword\":\"pw\",\"peerLinkPort\":1,\"sshPort\":2,\"nbdUri\":\"n\",";

        Files.writeString(file, "{\"state\":\"up\",\"installation\":\"/opt\",\"nodes\":[" + node + "\"disks\":{}}]}");
        assertEquals(file + ": \"disks\" of node colo-a is not an array",
                assertThrows(IOException.class, () -> PairFile.read(file)).getMessage());

        Files.writeString(file, "{\"state\":\"up\",\"installation\":\"/opt\",\"nodes\":[" + node
                + "\"disks\":[{\"name\":\"disk0\",\"nbdUri\":\"n\",\"localPath\":\"/l\",\"activePath\":\"/a\"}]}]}");
        assertEquals(file + ": \"hiddenPath\" is missing or not a string",
                assertThrows(IOException.class, () -> PairFile.read(file)).getMessage());
    }

    @Test
    void shouldMarkAStateWithoutLosingNodes(@TempDir Path dir) throws Exception {
        PairFile.write(PairFile.in(dir), pair(dir));

        PairFile.write(PairFile.in(dir), PairFile.read(PairFile.in(dir)).withState(PairFile.State.DOWN));

        PairFile.Pair read = PairFile.read(PairFile.in(dir));
        assertEquals(PairFile.State.DOWN, read.state());
        assertEquals(pair(dir).nodes(), read.nodes());
    }

    @Test
    void shouldNameTheFileAndTheProblem(@TempDir Path dir) throws Exception {
        Path file = PairFile.in(dir);
        IOException missing = assertThrows(IOException.class, () -> PairFile.read(file));
        assertEquals(file + ": does not exist", missing.getMessage());

        Files.writeString(file, "{\"state\":\"up\",\"installation\":\"/opt\",\"nodes\":[{\"nodeId\":\"colo-a\"}]}");
        IOException incomplete = assertThrows(IOException.class, () -> PairFile.read(file));
        assertEquals(file + ": \"role\" is missing or not a string", incomplete.getMessage());

        Files.writeString(file, "not json");
        assertTrue(assertThrows(IOException.class, () -> PairFile.read(file)).getMessage().contains("not valid JSON"));
    }
}
