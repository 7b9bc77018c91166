package dev.colo.mqtt.internal.component;

import dev.colo.api.management.MqttMXBean;
import dev.colo.mqtt.internal.backlog.Backlog;
import dev.colo.mqtt.internal.client.ConnectionState;
import dev.colo.mqtt.internal.client.Publisher;
import dev.colo.mqtt.internal.message.Envelopes;
import java.util.function.Supplier;

/** {@value MqttMXBean#OBJECT_NAME}: reads the publisher of the moment (none while the publisher is off). */
final class MqttMBean implements MqttMXBean {
    /** What the bean reads: all null while the publisher is off or not started. */
    record Parts(Publisher publisher, Envelopes envelopes, Backlog backlog, String disabledBecause) {
    }

    private final Supplier<Parts> parts;

    MqttMBean(Supplier<Parts> parts) {
        this.parts = parts;
    }

    @Override
    public String getConnectionState() {
        Publisher publisher = parts.get().publisher();
        return publisher == null ? ConnectionState.DISABLED.name() : publisher.state().name();
    }

    @Override
    public String getServerUris() {
        Publisher publisher = parts.get().publisher();
        return publisher == null ? "" : publisher.serverUris();
    }

    @Override
    public long getSession() {
        Envelopes envelopes = parts.get().envelopes();
        return envelopes == null ? 0 : envelopes.session();
    }

    @Override
    public long getLastSequence() {
        Envelopes envelopes = parts.get().envelopes();
        return envelopes == null ? 0 : envelopes.lastSequence();
    }

    @Override
    public long getPublishedMessages() {
        Publisher publisher = parts.get().publisher();
        return publisher == null ? 0 : publisher.published();
    }

    @Override
    public long getBacklogEvents() {
        Backlog backlog = parts.get().backlog();
        return backlog == null ? 0 : backlog.size();
    }

    @Override
    public long getBacklogLimitEvents() {
        Backlog backlog = parts.get().backlog();
        return backlog == null ? 0 : backlog.limit();
    }

    @Override
    public long getDroppedEvents() {
        Backlog backlog = parts.get().backlog();
        return backlog == null ? 0 : backlog.dropped();
    }

    @Override
    public String getLastError() {
        Parts now = parts.get();
        return now.publisher() == null ? now.disabledBecause() : now.publisher().lastError();
    }
}
