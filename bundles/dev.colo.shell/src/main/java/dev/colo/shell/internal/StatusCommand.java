package dev.colo.shell.internal;

import dev.colo.api.management.CheckpointMXBean;
import dev.colo.api.management.FailoverMXBean;
import dev.colo.api.management.NodeMXBean;
import javax.management.MBeanServer;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code colo:status}: this node at a glance, as {@code bin/colo status} shows it for a pair. */
@Command(scope = "colo", name = "status", description = "This node: role, peer, link, protection, failover")
@Service
public final class StatusCommand implements Action {
    @Reference
    MBeanServer server;

    @Override
    public Object execute() throws Exception {
        Mbeans beans = new Mbeans(server);
        String node = NodeMXBean.OBJECT_NAME;
        System.out.println("node " + text(beans.attribute(node, "NodeId")) + "  role " + text(beans.attribute(node,
                "Role")) + "  peer " + text(beans.attribute(node, "PeerHealth")) + "  link "
                + text(beans.attribute(node, "LinkState")));
        System.out.println("protected " + text(beans.attribute(CheckpointMXBean.OBJECT_NAME, "Protecting"))
                + "  checkpoint epoch " + text(beans.attribute(CheckpointMXBean.OBJECT_NAME, "Epoch"))
                + "  failover " + text(beans.attribute(FailoverMXBean.OBJECT_NAME, "State"))
                + "  reprotection " + text(beans.item(FailoverMXBean.OBJECT_NAME, "Reprotection", "phase")) + " "
                + text(beans.item(FailoverMXBean.OBJECT_NAME, "Reprotection", "resyncPercent")) + " %");
        return null;
    }

    static String text(java.util.Optional<Object> value) {
        return value.map(String::valueOf).orElse("-");
    }
}
