package dev.colo.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.colo.api.management.FailoverMXBean;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import org.junit.jupiter.api.Test;

class OperationCommandsTest {
    /** The operations of the Failover MXBean these commands invoke. */
    public interface FailoverOperationsMXBean {
        String switchover();

        String resolveSplitBrain(String keep);
    }

    private final List<String> invoked = new CopyOnWriteArrayList<>();

    private MBeanServer server() throws Exception {
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        server.registerMBean(new StandardMBean(new FailoverOperationsMXBean() {
            @Override
            public String switchover() {
                invoked.add("switchover");
                return "switched over to colo-b at epoch 7";
            }

            @Override
            public String resolveSplitBrain(String keep) {
                invoked.add("resolveSplitBrain " + keep);
                return "kept " + keep;
            }
        }, FailoverOperationsMXBean.class, true), new ObjectName(FailoverMXBean.OBJECT_NAME));
        return server;
    }

    /** What {@code command} printed on its own node. */
    private String execute(OperationCommands.Operation command) throws Exception {
        command.server = server();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream console = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            command.execute();
        } finally {
            System.setOut(console);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void switchoverPrintsTheNodesAnswer() throws Exception {
        assertEquals("switched over to colo-b at epoch 7" + System.lineSeparator(),
                execute(new OperationCommands.Switchover()));
        assertEquals(List.of("switchover"), invoked);
    }

    @Test
    void resolvePassesTheNodeToKeep() throws Exception {
        OperationCommands.Resolve resolve = new OperationCommands.Resolve();
        resolve.keep = "colo-b";

        assertEquals("kept colo-b" + System.lineSeparator(), execute(resolve));
        assertEquals(List.of("resolveSplitBrain colo-b"), invoked);
    }
}
