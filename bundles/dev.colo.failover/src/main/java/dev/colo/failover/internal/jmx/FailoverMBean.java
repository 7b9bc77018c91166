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
import javax.management.StandardEmitterMBean;

/** The {@link FailoverMXBean} of this node, built as an MXBean for the JMX whiteboard. */
public final class FailoverMBean extends StandardEmitterMBean implements FailoverMXBean {
    private final FailoverController controller;
    private final ReprotectionControl reprotection;

    /**
     * Its notifications: {@code dev.colo.failover.state-changed} for every transition (requested, active,
     * completed, failed), each followed by an attribute change of {@code State}.
     */
    public static EventNotifications notifications() {
        return new EventNotifications(FailoverMXBean.OBJECT_NAME,
                EventNotifications.Topic.changing(ColoTopics.FAILOVER_CHANGED, "State"));
    }

    public FailoverMBean(FailoverController controller, ReprotectionControl reprotection,
            EventNotifications notifications) {
        super(FailoverMXBean.class, true, notifications.emitter());
        this.controller = controller;
        this.reprotection = reprotection;
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
    public String failover() {
        return controller.request("an operator asked (JMX)");
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
