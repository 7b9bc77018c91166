package dev.colo.checkpoint.internal.jmx;

import dev.colo.api.Role;
import dev.colo.api.checkpoint.CheckpointStep;
import dev.colo.api.management.CheckpointFaultsMXBean;
import dev.colo.checkpoint.internal.faults.InjectedFaults;
import java.util.EnumSet;
import javax.management.StandardMBean;

/** The {@link CheckpointFaultsMXBean} of a node with fault injection on. */
public final class CheckpointFaultsMBean extends StandardMBean implements CheckpointFaultsMXBean {
    private final InjectedFaults faults;
    private final Role role;

    public CheckpointFaultsMBean(InjectedFaults faults, Role role) {
        super(CheckpointFaultsMXBean.class, true);
        this.faults = faults;
        this.role = role;
    }

    @Override
    public String arm(String step, String action) {
        try {
            return "armed: " + faults.arm(role, step, action);
        } catch (IllegalArgumentException e) {
            return "refused: " + e.getMessage();
        }
    }

    @Override
    public void disarm() {
        faults.disarm();
    }

    @Override
    public String getArmed() {
        return faults.armed().map(InjectedFaults.Armed::toString).orElse("");
    }

    @Override
    public String getSteps() {
        return (role == Role.PRIMARY ? EnumSet.allOf(CheckpointStep.class) : InjectedFaults.SECONDARY_STEPS).toString();
    }

    @Override
    public long getFired() {
        return faults.fired();
    }
}
