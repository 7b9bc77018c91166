package dev.colo.testing;

import dev.colo.api.event.ColoEvent;
import dev.colo.api.event.ColoEvents;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** EventAdmin that keeps every COLO event posted to it, parsed back into its record. */
public final class RecordingEventAdmin implements EventAdmin {
    private final List<ColoEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void postEvent(Event event) {
        ColoEvents.from(event).ifPresent(events::add);
    }

    @Override
    public void sendEvent(Event event) {
        postEvent(event);
    }

    /** Every event recorded so far, in posting order. */
    public List<ColoEvent> events() {
        return List.copyOf(events);
    }

    /** The recorded events of one type, in posting order. */
    public <T extends ColoEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
