package dev.colo.shell.internal;

import dev.colo.api.management.CheckpointMXBean;
import dev.colo.api.management.FailoverMXBean;
import dev.colo.api.management.NodeMXBean;
import javax.management.JMException;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code colo:status}: this node at a glance, as {@code bin/colo status} shows it for a pair. */
@Command(scope = "colo", name = "status", description = "This node: role, peer, link, protection, failover")
@Service
public final class StatusCommand extends MbeanCommand {
    @Override
    public Object execute() throws Exception {
        Mbeans beans = beans();
        String node = NodeMXBean.OBJECT_NAME;
        System.out.println("node " + beans.text(node, "NodeId") + "  role " + beans.text(node, "Role") + "  peer "
                + beans.text(node, "PeerHealth") + "  link " + beans.text(node, "LinkState"));
        System.out.println("protected " + beans.text(CheckpointMXBean.OBJECT_NAME, "Protecting")
                + "  checkpoint epoch " + beans.text(CheckpointMXBean.OBJECT_NAME, "Epoch")
                + "  failover " + beans.text(FailoverMXBean.OBJECT_NAME, "State") + failoverStep(beans)
                + "  reprotection " + progress(beans, "Reprotection", "phase", "resync"));
        return null;
    }

    /** While a failover runs: its step and the disks' commit. */
    private static String failoverStep(Mbeans beans) throws JMException {
        String step = beans.text(FailoverMXBean.OBJECT_NAME, "Progress", "step");
        return step.isEmpty() || step.equals("-") ? "" : " (" + progress(beans, "Progress", "step", "commit") + ")";
    }

    /** {@code <what> <percent> % [(ETA <s> s)]} of a progress attribute of the Failover MXBean. */
    private static String progress(Mbeans beans, String attribute, String what, String prefix) throws JMException {
        String eta = beans.text(FailoverMXBean.OBJECT_NAME, attribute, prefix + "EtaSeconds");
        return beans.text(FailoverMXBean.OBJECT_NAME, attribute, what) + " "
                + beans.text(FailoverMXBean.OBJECT_NAME, attribute, prefix + "Percent") + " %"
                + (eta.startsWith("-") ? "" : " (ETA " + eta + " s)");
    }
}
