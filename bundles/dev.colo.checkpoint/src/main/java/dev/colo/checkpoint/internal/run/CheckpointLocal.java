package dev.colo.checkpoint.internal.run;

import dev.colo.api.guest.ProtectedGuest;
import dev.colo.api.replication.ProtectedDisk;
import java.util.List;
import java.util.Optional;

/** What a checkpoint acts on, on this node; an interface so that the protocol is tested without OSGi. */
public interface CheckpointLocal {
    Optional<ProtectedGuest> guest(String name);

    /** The names of the guests running here. */
    List<String> guestNames();

    List<ProtectedDisk> disks();

    /** Primary, step 4: held output may be released (the {@code CheckpointParticipant} whiteboard). */
    void released(long epoch);

    /** Secondary, step 5: the state of {@code epoch} is loaded (the {@code CheckpointParticipant} whiteboard). */
    void loaded(long epoch);
}
