package dev.colo.shell.internal;

import dev.colo.api.management.CheckpointMXBean;
import dev.colo.api.management.FailoverMXBean;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** The operations of running a pair, each the MXBean operation of the same name; they print its answer. */
final class OperationCommands {
    private OperationCommands() {
    }

    /** Invokes {@code operation} of {@code objectName} and prints its answer. */
    abstract static class Operation extends MbeanCommand {
        private final String objectName;
        private final String operation;

        Operation(String objectName, String operation) {
            this.objectName = objectName;
            this.operation = operation;
        }

        @Override
        public Object execute() throws Exception {
            System.out.println(beans().invoke(objectName, operation(), arguments()));
            return null;
        }

        String operation() {
            return operation;
        }

        /** The operation's String parameters; none by default. */
        String[] arguments() {
            return new String[0];
        }
    }

    /** {@code colo:checkpoint}: {@code checkpointNow} of {@value CheckpointMXBean#OBJECT_NAME}. */
    @Command(scope = "colo", name = "checkpoint", description = "Checkpoint now (the primary); prints what was done")
    @Service
    public static final class Checkpoint extends Operation {
        public Checkpoint() {
            super(CheckpointMXBean.OBJECT_NAME, "checkpointNow");
        }
    }

    /** {@code colo:failover}: {@code failover} of {@value FailoverMXBean#OBJECT_NAME}. */
    @Command(scope = "colo", name = "failover", description = "Make this secondary the primary now (after fencing)")
    @Service
    public static final class Failover extends Operation {
        @Option(name = "--force", description = "Take over even without the primary's state (a primary gone for good):"
                + " what it acknowledged since this node's last loaded checkpoint is lost")
        boolean force;

        public Failover() {
            super(FailoverMXBean.OBJECT_NAME, "failover");
        }

        @Override
        String operation() {
            return force ? "forceFailover" : super.operation();
        }
    }

    /** {@code colo:switchover}: {@code switchover} of {@value FailoverMXBean#OBJECT_NAME}. */
    @Command(scope = "colo", name = "switchover", description = "Planned switchover of the protected pair: the"
            + " secondary becomes the primary, nothing acknowledged is lost")
    @Service
    public static final class Switchover extends Operation {
        public Switchover() {
            super(FailoverMXBean.OBJECT_NAME, "switchover");
        }
    }

    /** {@code colo:resolve --keep NODE}: {@code resolveSplitBrain(NODE)} of {@value FailoverMXBean#OBJECT_NAME}. */
    @Command(scope = "colo", name = "resolve", description = "End a split brain: the node to keep acknowledges again,"
            + " the other becomes its secondary (its unprotected writes are discarded)")
    @Service
    public static final class Resolve extends Operation {
        @Option(name = "--keep", required = true, description = "The node whose data stays (this node or the peer),"
                + " e.g. colo-a")
        String keep;

        public Resolve() {
            super(FailoverMXBean.OBJECT_NAME, "resolveSplitBrain");
        }

        @Override
        String[] arguments() {
            return new String[] {keep};
        }
    }

    /** {@code colo:reprotect}: {@code reprotect} of {@value FailoverMXBean#OBJECT_NAME}. */
    @Command(scope = "colo", name = "reprotect", description = "Re-protect the pair from this primary")
    @Service
    public static final class Reprotect extends Operation {
        public Reprotect() {
            super(FailoverMXBean.OBJECT_NAME, "reprotect");
        }
    }
}
