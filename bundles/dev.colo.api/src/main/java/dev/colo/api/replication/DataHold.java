package dev.colo.api.replication;

/**
 * Registered while this node holds its disks' data for an operator: it stopped at a split brain (its data and the
 * peer's diverged, each with acknowledged writes the other lacks), and only an operator chooses which side stays.
 * While it is registered, a secondary's disks take no resynchronisation from a primary and keep their generations
 * and the changes of their own; when it goes, they are resynchronised as any secondary is.
 */
public interface DataHold {
    /** Why the data is held, for the refusals the peer sees. */
    String reason();
}
