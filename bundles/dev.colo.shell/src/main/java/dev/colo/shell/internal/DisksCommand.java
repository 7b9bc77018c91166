package dev.colo.shell.internal;

import dev.colo.api.management.ReplicationMXBean;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code colo:disks}: each protected disk of this node, with its resynchronisation while one runs. */
@Command(scope = "colo", name = "disks", description = "This node's protected disks: stage, epoch, dirty bytes, resync")
@Service
public final class DisksCommand implements Action {
    @Reference
    MBeanServer server;

    @Override
    public Object execute() throws Exception {
        Mbeans beans = new Mbeans(server);
        for (ObjectName disk : beans.query(ReplicationMXBean.OBJECT_NAME_PREFIX + "*")) {
            String name = disk.getCanonicalName();
            System.out.println("disk " + StatusCommand.text(beans.attribute(name, "DiskName")) + "  stage "
                    + StatusCommand.text(beans.attribute(name, "Stage")) + "  epoch "
                    + StatusCommand.text(beans.attribute(name, "Epoch")) + "  degraded "
                    + StatusCommand.text(beans.attribute(name, "Degraded")) + "  dirty "
                    + StatusCommand.text(beans.attribute(name, "DirtyBytes")) + " B  resync remaining "
                    + StatusCommand.text(beans.item(name, "Resync", "remainingBytes")) + " B");
        }
        return null;
    }
}
