package dev.colo.shell.internal;

import dev.colo.api.management.CheckpointMXBean;
import dev.colo.api.management.FailoverMXBean;
import javax.management.MBeanServer;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** The operations of running a pair, each the MXBean operation of the same name; they print its answer. */
final class OperationCommands {
    private OperationCommands() {
    }

    /** {@code colo:checkpoint}: {@code checkpointNow} of {@value CheckpointMXBean#OBJECT_NAME}. */
    @Command(scope = "colo", name = "checkpoint", description = "Checkpoint now (the primary); prints what was done")
    @Service
    public static final class Checkpoint implements Action {
        @Reference
        MBeanServer server;

        @Override
        public Object execute() throws Exception {
            System.out.println(new Mbeans(server).invoke(CheckpointMXBean.OBJECT_NAME, "checkpointNow"));
            return null;
        }
    }

    /** {@code colo:failover}: {@code failover} of {@value FailoverMXBean#OBJECT_NAME}. */
    @Command(scope = "colo", name = "failover", description = "Make this secondary the primary now (after fencing)")
    @Service
    public static final class Failover implements Action {
        @Reference
        MBeanServer server;

        @Override
        public Object execute() throws Exception {
            System.out.println(new Mbeans(server).invoke(FailoverMXBean.OBJECT_NAME, "failover"));
            return null;
        }
    }

    /** {@code colo:reprotect}: {@code reprotect} of {@value FailoverMXBean#OBJECT_NAME}. */
    @Command(scope = "colo", name = "reprotect", description = "Re-protect the pair from this primary")
    @Service
    public static final class Reprotect implements Action {
        @Reference
        MBeanServer server;

        @Override
        public Object execute() throws Exception {
            System.out.println(new Mbeans(server).invoke(FailoverMXBean.OBJECT_NAME, "reprotect"));
            return null;
        }
    }
}
