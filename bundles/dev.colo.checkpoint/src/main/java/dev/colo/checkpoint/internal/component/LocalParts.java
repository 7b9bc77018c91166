package dev.colo.checkpoint.internal.component;

import dev.colo.api.checkpoint.CheckpointParticipant;
import dev.colo.api.guest.ProtectedGuest;
import dev.colo.api.replication.ProtectedDisk;
import dev.colo.checkpoint.internal.run.CheckpointLocal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The guests, disks and participants of this node as the component's dynamic references bind them. */
final class LocalParts implements CheckpointLocal {
    private static final Logger logger = LoggerFactory.getLogger(LocalParts.class);

    final Map<String, ProtectedGuest> guests = new ConcurrentHashMap<>();
    final List<ProtectedDisk> disks = new CopyOnWriteArrayList<>();
    final List<CheckpointParticipant> participants = new CopyOnWriteArrayList<>();

    @Override
    public Optional<ProtectedGuest> guest(String name) {
        return Optional.ofNullable(guests.get(name));
    }

    @Override
    public List<String> guestNames() {
        return guests.keySet().stream().sorted().toList();
    }

    @Override
    public List<ProtectedDisk> disks() {
        return List.copyOf(disks);
    }

    @Override
    public void released(long epoch) {
        for (CheckpointParticipant participant : participants) {
            try {
                participant.released(epoch);
            } catch (RuntimeException e) {
                logger.error("Checkpoint {}: participant {} failed to release", epoch, participant, e);
            }
        }
    }

    @Override
    public void loaded(long epoch) {
        for (CheckpointParticipant participant : participants) {
            participant.loaded(epoch); // a failure here fails the checkpoint: the secondary is not reset
        }
    }
}
