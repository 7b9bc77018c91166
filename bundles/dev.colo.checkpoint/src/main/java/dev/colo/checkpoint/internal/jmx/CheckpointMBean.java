package dev.colo.checkpoint.internal.jmx;

import dev.colo.api.checkpoint.CheckpointReason;
import dev.colo.api.event.ColoTopics;
import dev.colo.api.management.CheckpointCounts;
import dev.colo.api.management.CheckpointMXBean;
import dev.colo.api.management.CheckpointStepTimes;
import dev.colo.api.management.CheckpointSummary;
import dev.colo.api.management.EventNotifications;
import dev.colo.checkpoint.internal.coordinator.CheckpointCoordinator;
import javax.management.StandardEmitterMBean;

/** The {@link CheckpointMXBean} of this node's coordinator, built as an MXBean for the JMX whiteboard. */
public final class CheckpointMBean extends StandardEmitterMBean implements CheckpointMXBean {
    private final CheckpointCoordinator coordinator;

    /** Its notifications: {@code dev.colo.checkpoint.completed} and {@code dev.colo.checkpoint.failed}. */
    public static EventNotifications notifications() {
        return new EventNotifications(CheckpointMXBean.OBJECT_NAME, EventNotifications.Topic.of(
                ColoTopics.CHECKPOINT_COMPLETED), EventNotifications.Topic.of(ColoTopics.CHECKPOINT_FAILED));
    }

    public CheckpointMBean(CheckpointCoordinator coordinator, EventNotifications notifications) {
        super(CheckpointMXBean.class, true, notifications.emitter());
        this.coordinator = coordinator;
    }

    @Override
    public String getRole() {
        return coordinator.role().configValue();
    }

    @Override
    public long getIntervalMillis() {
        return coordinator.settings().intervalMillis();
    }

    @Override
    public long getMinGapMillis() {
        return coordinator.settings().minGapMillis();
    }

    @Override
    public long getEpoch() {
        return coordinator.epoch();
    }

    @Override
    public boolean isProtecting() {
        return coordinator.isProtecting();
    }

    @Override
    public CheckpointCounts getCounts() {
        return coordinator.history().counts();
    }

    @Override
    public CheckpointSummary getLastCheckpoint() {
        return coordinator.history().last();
    }

    @Override
    public CheckpointStepTimes getLastStepMicros() {
        return coordinator.history().lastSteps();
    }

    @Override
    public CheckpointStepTimes getP99StepMicros() {
        return coordinator.history().p99Steps();
    }

    @Override
    public String checkpointNow() {
        coordinator.request(CheckpointReason.OPERATOR, "JMX checkpointNow");
        return coordinator.role() == dev.colo.api.Role.PRIMARY ? "requested; see LastCheckpoint"
                : "this node is the secondary: checkpoints are run by the primary";
    }
}
