package dev.colo.failover.internal.jmx;

import dev.colo.api.event.ColoTopics;
import dev.colo.api.management.EventNotifications;
import dev.colo.api.management.FailoverMXBean;
import dev.colo.api.management.FailoverProgress;
import dev.colo.api.management.FailoverSummary;
import dev.colo.api.management.ReprotectionProgress;
import dev.colo.failover.internal.controller.FailoverController;
import dev.colo.failover.internal.reprotect.ReprotectionControl;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import javax.management.StandardEmitterMBean;

/** The {@link FailoverMXBean} of this node, built as an MXBean for the JMX whiteboard. */
public final class FailoverMBean extends StandardEmitterMBean implements FailoverMXBean {
    private final FailoverController controller;
    private final ReprotectionControl reprotection;
    private final BooleanSupplier holdsPrimaryState;

    /**
     * Its notifications: {@code dev.colo.failover.state-changed} for every transition (requested, active,
     * completed, failed), each followed by an attribute change of {@code State}.
     */
    public static EventNotifications notifications() {
        return new EventNotifications(FailoverMXBean.OBJECT_NAME,
                EventNotifications.Topic.changing(ColoTopics.FAILOVER_CHANGED, "State"));
    }

    public FailoverMBean(FailoverController controller, ReprotectionControl reprotection,
            BooleanSupplier holdsPrimaryState, EventNotifications notifications) {
        super(FailoverMXBean.class, true, notifications.emitter());
        this.controller = controller;
        this.reprotection = reprotection;
        this.holdsPrimaryState = holdsPrimaryState;
    }

    @Override
    public String getState() {
        return controller.state().name();
    }

    @Override
    public boolean isAutomatic() {
        return controller.settings().automatic();
    }

    @Override
    public String getFencing() {
        return controller.settings().fencing().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public FailoverSummary getLastFailover() {
        return controller.last();
    }

    @Override
    public FailoverProgress getProgress() {
        return controller.progress();
    }

    @Override
    public boolean isHoldsPrimaryState() {
        return holdsPrimaryState.getAsBoolean();
    }

    @Override
    public String failover() {
        if (!holdsPrimaryState.getAsBoolean()) {
            return "refused: this node does not hold the primary's state (no checkpoint loaded since it started, or "
                    + "since the last one failed): taking over now would lose what the primary acknowledged since. "
                    + "Restart the primary; if it is gone for good, forceFailover accepts that loss";
        }
        return controller.request("an operator asked (JMX)");
    }

    @Override
    public String forceFailover() {
        return controller.request("an operator forced it (JMX), " + (holdsPrimaryState.getAsBoolean()
                ? "holding the primary's state" : "WITHOUT the primary's state: writes acknowledged since the last "
                + "loaded checkpoint are lost"));
    }

    @Override
    public ReprotectionProgress getReprotection() {
        return reprotection.progress();
    }

    @Override
    public String reprotect() {
        return reprotection.reprotect();
    }
}
