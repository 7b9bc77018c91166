package dev.colo.shell.internal;

import javax.management.MBeanServer;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/** A colo:* command: it reads or invokes the node's own MXBeans (Karaf injects the MBeanServer here too). */
abstract class MbeanCommand implements Action {
    @Reference
    MBeanServer server;

    Mbeans beans() {
        return new Mbeans(server);
    }
}
