package dev.colo.nbd.internal.server;

import dev.colo.api.management.NbdExportStats;
import dev.colo.nbd.protocol.NbdCommand;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one export, updated concurrently by every connection; {@link #snapshot()} for JMX. */
public final class ExportCounters {
    private final LongAdder connectionsAccepted = new LongAdder();
    private final AtomicInteger connectionsOpen = new AtomicInteger();
    private final LongAdder protocolErrors = new LongAdder();
    private final Map<NbdCommand, LongAdder> requests = new EnumMap<>(NbdCommand.class);
    private final Map<NbdCommand, LongAdder> bytes = new EnumMap<>(NbdCommand.class);
    private final LongAdder errorReplies = new LongAdder();
    private final AtomicInteger inFlight = new AtomicInteger();

    public ExportCounters() {
        for (NbdCommand command : NbdCommand.values()) {
            requests.put(command, new LongAdder());
            bytes.put(command, new LongAdder());
        }
    }

    public void connectionOpened() {
        connectionsAccepted.increment();
        connectionsOpen.incrementAndGet();
    }

    public void connectionClosed() {
        connectionsOpen.decrementAndGet();
    }

    public void protocolError() {
        protocolErrors.increment();
    }

    /** A request that passed validation and is about to run (or DISC). */
    public void request(NbdCommand command, long byteCount) {
        requests.get(command).increment();
        bytes.get(command).add(byteCount);
    }

    public void errorReply() {
        errorReplies.increment();
    }

    public void started() {
        inFlight.incrementAndGet();
    }

    public void finished() {
        inFlight.decrementAndGet();
    }

    public int connectionsOpen() {
        return connectionsOpen.get();
    }

    public int inFlight() {
        return inFlight.get();
    }

    public long errorReplies() {
        return errorReplies.sum();
    }

    public long requests(NbdCommand command) {
        return requests.get(command).sum();
    }

    public NbdExportStats snapshot() {
        return new NbdExportStats(connectionsAccepted.sum(), connectionsOpen.get(), protocolErrors.sum(),
                requests(NbdCommand.READ), bytes.get(NbdCommand.READ).sum(), requests(NbdCommand.WRITE),
                bytes.get(NbdCommand.WRITE).sum(), requests(NbdCommand.FLUSH), requests(NbdCommand.TRIM),
                bytes.get(NbdCommand.TRIM).sum(), requests(NbdCommand.WRITE_ZEROES),
                bytes.get(NbdCommand.WRITE_ZEROES).sum(), requests(NbdCommand.BLOCK_STATUS),
                requests(NbdCommand.DISC), errorReplies.sum(), inFlight.get());
    }
}
