package dev.colo.shell.internal;

import dev.colo.api.Role;
import dev.colo.api.management.CheckpointMXBean;
import dev.colo.api.management.FailoverMXBean;
import dev.colo.api.management.NodeMXBean;
import dev.colo.api.management.PairProtection;
import dev.colo.api.management.ProxyMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.management.JMException;
import javax.management.ObjectName;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code colo:status}: this node at a glance, as {@code bin/colo status} shows it for a pair; on the primary, whether
 * each protected service listens for clients.
 */
@Command(scope = "colo", name = "status", description = "This node: role, peer, link, protection, failover")
@Service
public final class StatusCommand extends MbeanCommand {
    @Override
    public Object execute() throws Exception {
        Mbeans beans = beans();
        String node = NodeMXBean.OBJECT_NAME;
        System.out.println("node " + beans.text(node, "NodeId") + "  role " + beans.text(node, "Role") + "  peer "
                + beans.text(node, "PeerHealth") + "  link " + beans.text(node, "LinkState") + "  health "
                + beans.text(node, "Health"));
        List<ObjectName> proxies = beans.query(ProxyMXBean.OBJECT_NAME_PREFIX + "*");
        System.out.println("protected " + protection(beans, proxies)
                + "  checkpoint epoch " + beans.text(CheckpointMXBean.OBJECT_NAME, "Epoch")
                + "  failover " + beans.text(FailoverMXBean.OBJECT_NAME, "State") + failoverStep(beans)
                + "  reprotection " + progress(beans, "Reprotection", "phase", "resync"));
        if (Role.PRIMARY.configValue().equals(beans.text(node, "Role"))) { // a secondary never listens
            for (ObjectName proxy : proxies) {
                String name = proxy.getCanonicalName();
                System.out.println("service " + beans.text(name, "ServiceName") + "  listening "
                        + beans.text(name, "ServiceListening") + "  on " + beans.text(name, "ListenAddress"));
            }
        }
        return null;
    }

    /** As {@link PairProtection} says from the checkpoints and every proxy of this node; {@code -} when unknown. */
    private static String protection(Mbeans beans, List<ObjectName> proxies) throws JMException {
        Optional<Object> checkpointsProtect = beans.attribute(CheckpointMXBean.OBJECT_NAME, "Protecting");
        if (checkpointsProtect.isEmpty()) {
            return "-";
        }
        List<Boolean> listening = new ArrayList<>();
        for (ObjectName proxy : proxies) { // one unregistered since the query (its component restarts) is left out
            beans.attribute(proxy.getCanonicalName(), "ServiceListening").ifPresent(value -> listening.add(
                    Boolean.TRUE.equals(value)));
        }
        return String.valueOf(PairProtection.isProtected((Boolean) checkpointsProtect.get(), listening));
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
