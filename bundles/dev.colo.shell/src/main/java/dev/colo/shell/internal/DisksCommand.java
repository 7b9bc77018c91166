package dev.colo.shell.internal;

import dev.colo.api.management.ReplicationMXBean;
import javax.management.ObjectName;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code colo:disks}: each protected disk of this node, with its resynchronisation while one runs. */
@Command(scope = "colo", name = "disks", description = "This node's protected disks: stage, epoch, dirty bytes, resync")
@Service
public final class DisksCommand extends MbeanCommand {
    @Override
    public Object execute() throws Exception {
        Mbeans beans = beans();
        for (ObjectName disk : beans.query(ReplicationMXBean.OBJECT_NAME_PREFIX + "*")) {
            String name = disk.getCanonicalName();
            System.out.println("disk " + beans.text(name, "DiskName") + "  stage "
                    + beans.text(name, "Stage") + "  epoch "
                    + beans.text(name, "Epoch") + "  degraded "
                    + beans.text(name, "Degraded") + "  dirty "
                    + beans.text(name, "DirtyBytes") + " B  resync remaining "
                    + beans.text(name, "Resync", "remainingBytes") + " B");
        }
        return null;
    }
}
