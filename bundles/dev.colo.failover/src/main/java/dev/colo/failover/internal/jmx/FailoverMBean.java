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
    private final Roles roles;

    /** What the operations need of the node beyond its failover controller. */
    public interface Roles {
        /** Why this secondary does not hold the primary's state; empty when it does, and on a primary. */
        String staleReason();

        /** Whether the failure detector hears the peer now. */
        boolean peerAlive();

        String switchover();

        boolean splitBrain();

        String lastRoleConflict();

        String resolveSplitBrain(String keep);
    }

    /**
     * Its notifications: {@code dev.colo.failover.state-changed} for every transition (requested, active,
     * completed, failed), each followed by an attribute change of {@code State}.
     */
    public static EventNotifications notifications() {
        return new EventNotifications(FailoverMXBean.OBJECT_NAME,
                EventNotifications.Topic.changing(ColoTopics.FAILOVER_CHANGED, "State"));
    }

    public FailoverMBean(FailoverController controller, ReprotectionControl reprotection,
            Roles roles, EventNotifications notifications) {
        super(FailoverMXBean.class, true, notifications.emitter());
        this.controller = controller;
        this.reprotection = reprotection;
        this.roles = roles;
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
        return roles.staleReason().isEmpty();
    }

    @Override
    public String getStaleReason() {
        return roles.staleReason();
    }

    @Override
    public boolean isSplitBrain() {
        return roles.splitBrain();
    }

    @Override
    public String getLastRoleConflict() {
        return roles.lastRoleConflict();
    }

    @Override
    public String failover() {
        String stale = roles.staleReason();
        if (!stale.isEmpty()) {
            return "refused: this node does not hold the primary's state (" + stale + "): taking over now would "
                    + "lose what the primary acknowledged since. Restart the primary; if it is gone for good, "
                    + "forceFailover accepts that loss";
        }
        if (roles.peerAlive()) {
            // the primary would go on serving beside this node: two primaries, and whatever one of them acknowledged
            // is lost when they meet; a switchover moves the service without that
            return "refused: the primary is alive: use switchover for a planned move (nothing acknowledged is lost); "
                    + "forceFailover takes over anyway, beside a primary that still serves";
        }
        return controller.request("an operator asked (JMX)");
    }

    @Override
    public String forceFailover() {
        String stale = roles.staleReason();
        return controller.requestForced("an operator forced it (JMX), " + (stale.isEmpty()
                ? "holding the primary's state" : "WITHOUT the primary's state (" + stale + "): writes acknowledged "
                + "since the last loaded checkpoint are lost"));
    }

    @Override
    public String switchover() {
        return roles.switchover();
    }

    @Override
    public String resolveSplitBrain(String keep) {
        return roles.resolveSplitBrain(keep);
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
