package dev.colo.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.colo.api.management.CheckpointMXBean;
import dev.colo.api.management.NodeMXBean;
import dev.colo.api.management.ProxyMXBean;
import dev.colo.api.management.ProxyStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.junit.jupiter.api.Test;

class StatusCommandTest {
    /** The part of the Node MXBean colo:status reads. */
    public interface NodeViewMXBean {
        String getNodeId();

        String getRole();

        String getPeerHealth();

        String getLinkState();

        String getHealth();
    }

    /** The part of the Checkpoint MXBean colo:status reads. */
    public interface CheckpointViewMXBean {
        boolean isProtecting();

        long getEpoch();
    }

    private final MBeanServer server = MBeanServerFactory.newMBeanServer();

    /** A node whose checkpoints protect the pair, in {@code role}. */
    private void node(String role) throws Exception {
        server.registerMBean(new StandardMBean(new NodeViewMXBean() {
            @Override
            public String getNodeId() {
                return "colo-b";
            }

            @Override
            public String getRole() {
                return role;
            }

            @Override
            public String getPeerHealth() {
                return "ALIVE";
            }

            @Override
            public String getLinkState() {
                return "CONNECTED";
            }

            @Override
            public String getHealth() {
                return "OK";
            }
        }, NodeViewMXBean.class, true), new ObjectName(NodeMXBean.OBJECT_NAME));
        server.registerMBean(new StandardMBean(new CheckpointViewMXBean() {
            @Override
            public boolean isProtecting() {
                return role.equals("primary");
            }

            @Override
            public long getEpoch() {
                return 42;
            }
        }, CheckpointViewMXBean.class, true), new ObjectName(CheckpointMXBean.OBJECT_NAME));
    }

    private void service(String name, boolean listening) throws Exception {
        server.registerMBean(new StandardMBean(new ProxyMXBean() {
            @Override
            public String getServiceName() {
                return name;
            }

            @Override
            public String getProtocol() {
                return "tcp";
            }

            @Override
            public String getListenAddress() {
                return "127.0.0.1:6380";
            }

            @Override
            public boolean isProtecting() {
                return true;
            }

            @Override
            public boolean isServiceListening() {
                return listening;
            }

            @Override
            public ProxyStats getStatistics() {
                return null;
            }
        }, ProxyMXBean.class, true), new ObjectName(ProxyMXBean.objectName(name)));
    }

    /** What colo:status printed, line by line. */
    private List<String> status() throws Exception {
        StatusCommand command = new StatusCommand();
        command.server = server;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream console = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            command.execute();
        } finally {
            System.setOut(console);
        }
        return printed.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void aPrimaryIsNotProtectedWhileAServiceDoesNotListen() throws Exception {
        node("primary");
        service("kv", false);

        List<String> lines = status();

        assertEquals("protected false  checkpoint epoch 42  failover -  reprotection - - %", lines.get(1));
        assertEquals("service kv  listening false  on 127.0.0.1:6380", lines.get(2));
    }

    @Test
    void aPrimaryIsProtectedOnceEveryServiceListens() throws Exception {
        node("primary");
        service("kv", true);
        service("web", true);

        assertEquals(List.of("node colo-b  role primary  peer ALIVE  link CONNECTED  health OK",
                "protected true  checkpoint epoch 42  failover -  reprotection - - %",
                "service kv  listening true  on 127.0.0.1:6380", "service web  listening true  on 127.0.0.1:6380"),
                status());
    }

    @Test
    void aSecondaryShowsNoServiceItWouldNeverListenFor() throws Exception {
        node("secondary");
        service("kv", false);

        assertEquals(List.of("node colo-b  role secondary  peer ALIVE  link CONNECTED  health OK",
                "protected false  checkpoint epoch 42  failover -  reprotection - - %"), status());
    }
}
