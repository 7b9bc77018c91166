package dev.colo.api.management;

/**
 * Fault injection at checkpoint steps, {@value #OBJECT_NAME}: registered only on a node whose
 * {@code etc/dev.colo.checkpoint.cfg} has {@code checkpoint.fault.injection = true}, for testing a pair.
 */
public interface CheckpointFaultsMXBean {
    String OBJECT_NAME = "dev.colo:type=CheckpointFaults";

    /**
     * Arms one fault at the start of {@code step} (a {@code CheckpointStep}) of this node's next checkpoint:
     * {@code CRASH} ends the node's process there as {@code kill -9} would, {@code FAIL} makes the step fail. It
     * replaces a fault armed before and fires once.
     *
     * @return what was armed, or {@code refused: } and why (an unknown step or action, a step this node's role
     *         does not take)
     */
    String arm(String step, String action);

    /** Disarms the armed fault. */
    void disarm();

    /** The armed fault ({@code CRASH at LOAD}), or empty. */
    String getArmed();

    /** The steps this node's role takes: where a fault can be armed. */
    String getSteps();

    /** How many armed faults fired since the node started. */
    long getFired();
}
