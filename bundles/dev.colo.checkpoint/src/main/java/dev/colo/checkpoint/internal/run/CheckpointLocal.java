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

    /**
     * What is missing when a guest among {@code guestNames} keeps its data on a disk that is not among {@link #disks()}
     * (its replication is restarting, or was never configured): a checkpoint then would neither check that disk's
     * replication nor start its new epoch, and a node taking over would find the disk behind its guest's state.
     */
    default Optional<String> missingDisk(List<String> guestNames) {
        List<String> present = disks().stream().map(ProtectedDisk::name).toList();
        for (String name : guestNames) {
            Optional<ProtectedGuest> guest = guest(name);
            for (String disk : guest.map(ProtectedGuest::disks).orElse(List.of())) {
                if (!present.contains(disk)) {
                    return Optional.of("guest " + name + " keeps its data on disk " + disk + ", which is not "
                            + "replicated here (disks " + present + ")");
                }
            }
        }
        return Optional.empty();
    }

    /** Primary, step 4: held output may be released (the {@code CheckpointParticipant} whiteboard). */
    void released(long epoch);

    /** Secondary, step 5: the state of {@code epoch} is loaded (the {@code CheckpointParticipant} whiteboard). */
    void loaded(long epoch);
}
