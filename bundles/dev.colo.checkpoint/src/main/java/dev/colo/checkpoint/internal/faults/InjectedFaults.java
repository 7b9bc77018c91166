package dev.colo.checkpoint.internal.faults;

import dev.colo.api.Role;
import dev.colo.api.checkpoint.CheckpointStep;
import dev.colo.checkpoint.internal.run.CheckpointFailure;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fault an operator armed at the start of a checkpoint step of this node (fault injection, for testing the
 * pair; off unless configured): {@link Action#CRASH} ends the process there as {@code kill -9} would, and
 * {@link Action#FAIL} makes the step fail. It fires once, at the next checkpoint that reaches the step.
 */
public final class InjectedFaults {
    private static final Logger logger = LoggerFactory.getLogger(InjectedFaults.class);
    /** Faults never armed: what a node without fault injection runs with. */
    public static final InjectedFaults NONE = new InjectedFaults(() -> { });
    /** The exit status of a crash: 128 + SIGKILL, as a shell reports a process killed with kill -9. */
    public static final int CRASH_STATUS = 137;

    /** What happens at the step. */
    public enum Action {
        /** The node's process ends at once (no shutdown, no goodbye to the peer). */
        CRASH,
        /** The step fails with an error naming the injected fault. */
        FAIL
    }

    /** An armed fault. */
    public record Armed(CheckpointStep step, Action action) {
        @Override
        public String toString() {
            return action + " at " + step;
        }
    }

    /** The steps the secondary takes part in: pausing (begin), receiving the state, loading it, resuming. */
    public static final Set<CheckpointStep> SECONDARY_STEPS = EnumSet.of(CheckpointStep.REQUEST,
            CheckpointStep.TRANSFER, CheckpointStep.LOAD, CheckpointStep.RESUME);

    private final Runnable crash;
    private final AtomicReference<Armed> armed = new AtomicReference<>();
    private final AtomicLong fired = new AtomicLong();

    /** @param crash ends the process ({@code Runtime.halt} in a node; something observable in a test) */
    public InjectedFaults(Runnable crash) {
        this.crash = crash;
    }

    /** Faults of a real node: a crash halts the JVM. */
    public static InjectedFaults halting() {
        return new InjectedFaults(() -> Runtime.getRuntime().halt(CRASH_STATUS));
    }

    /**
     * Arms {@code action} at {@code step} of a node in {@code role}, replacing an armed one.
     *
     * @throws IllegalArgumentException naming what is wrong: an unknown step or action, a step this role does not
     *                                  take, or a FAIL at the secondary's RESUME (its answer is sent already)
     */
    public Armed arm(Role role, String step, String action) {
        CheckpointStep parsedStep = parse(CheckpointStep.class, "step", step);
        Action parsedAction = parse(Action.class, "action", action);
        if (role == Role.SECONDARY && !SECONDARY_STEPS.contains(parsedStep)) {
            throw new IllegalArgumentException("step " + parsedStep + " is the primary's alone; the secondary has "
                    + SECONDARY_STEPS);
        }
        if (role == Role.SECONDARY && parsedStep == CheckpointStep.RESUME && parsedAction == Action.FAIL) {
            throw new IllegalArgumentException("the secondary cannot fail RESUME: the primary has its 'loaded' already;"
                    + " use CRASH");
        }
        Armed fault = new Armed(parsedStep, parsedAction);
        armed.set(fault);
        logger.warn("FAULT INJECTION: {} armed on this {} for the next checkpoint", fault, role.configValue());
        return fault;
    }

    /** Disarms the armed fault, if any. */
    public void disarm() {
        armed.set(null);
    }

    public Optional<Armed> armed() {
        return Optional.ofNullable(armed.get());
    }

    /** How many faults fired since this node started. */
    public long fired() {
        return fired.get();
    }

    /**
     * Called at the start of {@code step} of checkpoint {@code epoch}: fires the fault armed there, once.
     *
     * @throws CheckpointFailure the injected failure
     */
    public void at(CheckpointStep step, long epoch) throws CheckpointFailure {
        Armed fault = armed.get();
        if (fault == null || fault.step() != step || !armed.compareAndSet(fault, null)) {
            return;
        }
        fired.incrementAndGet();
        logger.error("FAULT INJECTION: {} of checkpoint {} fires now", fault, epoch);
        if (fault.action() == Action.CRASH) {
            crash.run();
        }
        throw new CheckpointFailure(step, "fault injected: " + fault);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String what, String value) {
        String name = value == null ? "" : value.trim().toUpperCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("no " + what + " '" + value + "': one of "
                + Arrays.toString(type.getEnumConstants()));
    }
}
