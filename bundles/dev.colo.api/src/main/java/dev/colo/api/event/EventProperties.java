package dev.colo.api.event;

/** Keys of the properties of COLO events; the common ones are on every event. */
public final class EventProperties {
    /** Common: id of the node that posted the event ({@code String}). */
    public static final String NODE = "node";
    /** Common: role of that node, {@code primary} or {@code secondary} ({@code String}). */
    public static final String ROLE = "role";
    /** Common: when the change happened, milliseconds since 1970 UTC ({@code Long}); EventAdmin's own key. */
    public static final String TIMESTAMP = "timestamp";
    /** Where it applies: the checkpoint epoch the change belongs to ({@code Long}). */
    public static final String EPOCH = "epoch";

    /** State before the change (enum name, {@code String}). */
    public static final String PREVIOUS = "previous";
    /** State after the change (enum name, {@code String}). */
    public static final String CURRENT = "current";
    /** Human-readable cause ({@code String}). */
    public static final String REASON = "reason";
    /** Milliseconds since the peer was last heard, -1 if never ({@code Long}). */
    public static final String SILENCE_MS = "silence.ms";
    /** Remote address of a connection ({@code String}). */
    public static final String REMOTE = "remote";
    /** Configuration PID ({@code String}). */
    public static final String PID = "pid";
    /** Configuration key ({@code String}). */
    public static final String KEY = "key";
    /** Configuration value as given ({@code String}). */
    public static final String VALUE = "value";
    /** {@link dev.colo.api.ColoErrorCode} name ({@code String}). */
    public static final String ERROR_CODE = "error.code";
    /** Full error message ({@code String}). */
    public static final String MESSAGE = "message";

    /** Name of a protected disk ({@code String}). */
    public static final String DISK = "disk";
    /** Whether a primary replicates without its secondary ({@code Boolean}). */
    public static final String DEGRADED = "degraded";
    /** Whether a secondary no longer holds the primary's state ({@code Boolean}). */
    public static final String STALE = "stale";
    /** Bytes marked in a dirty bitmap ({@code Long}). */
    public static final String DIRTY_BYTES = "dirty.bytes";

    /** Bytes a piece of work started with ({@code Long}). */
    public static final String TOTAL_BYTES = "total.bytes";
    /** Bytes still to do ({@code Long}). */
    public static final String REMAINING_BYTES = "remaining.bytes";
    /** Rate of the work so far, bytes per second ({@code Long}). */
    public static final String RATE_BYTES_PER_SECOND = "rate.bytes.per.second";
    /** Whether the work ended ({@code Boolean}). */
    public static final String DONE = "done";

    /** Name of a protected service ({@code String}). */
    public static final String SERVICE = "service";
    /** Id of a proxied connection or flow ({@code Long}). */
    public static final String CONNECTION = "connection";
    /** Stream offset or datagram index ({@code Long}). */
    public static final String OFFSET = "offset";
    /** Where a service listens for clients, {@code host:port} ({@code String}). */
    public static final String ADDRESS = "address";
    /** Whether a service's proxy accepts clients ({@code Boolean}). */
    public static final String LISTENING = "listening";
    /** Why something failed; empty when nothing did ({@code String}). */
    public static final String ERROR = "error";
    /** Node health: the component that failed or recovered ({@code String}). */
    public static final String COMPONENT = "component";
    /** Name of a guest ({@code String}). */
    public static final String GUEST = "guest";
    /** Whether a guest refuses writes at its memory bound ({@code Boolean}). */
    public static final String REFUSING = "refusing";
    /** Bytes in use ({@code Long}). */
    public static final String USED_BYTES = "used.bytes";
    /** A bound in bytes ({@code Long}). */
    public static final String MAX_BYTES = "max.bytes";
    /** Checkpoint events: why it ran (reasons, comma-separated). */
    public static final String REASONS = "reasons";
    /** Checkpoint events: whether the guests' whole state was sent. */
    public static final String FULL = "full";
    /** Checkpoint events: bytes of guest state sent. */
    public static final String STATE_BYTES = "state.bytes";
    /** Checkpoint events: how long the primary's guests were paused (µs). */
    public static final String PAUSED_US = "paused.us";
    /** Checkpoint failed: the step it failed at. */
    public static final String STEP = "step";
    /** Failover: ms since it was requested. */
    public static final String ELAPSED_MS = "elapsed.ms";
    /** Checkpoint events: prefix of each step's duration in µs, {@code step.<step>.us}. */
    public static final String STEP_PREFIX = "step.";

    private EventProperties() {
    }
}
