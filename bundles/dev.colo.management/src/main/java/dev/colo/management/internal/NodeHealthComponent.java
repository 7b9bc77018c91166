package dev.colo.management.internal;

import dev.colo.api.event.ColoEvents;
import dev.colo.api.event.EventSource;
import dev.colo.api.event.NodeHealthChanged;
import dev.colo.api.health.NodeHealth;
import dev.colo.api.pair.PairConfiguration;
import dev.colo.api.util.ThreadFailures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's {@link NodeHealth}: the failures its components reported and have not recovered from. A thread
 * that dies of an uncaught error with no owner to recover it (any thread of the JVM: this component is the
 * default handler while it runs) is a failure of its thread group until the node restarts; an owner reports and
 * recovers its own component.
 */
@Component(service = NodeHealth.class, immediate = true)
public final class NodeHealthComponent implements NodeHealth {
    private static final Logger logger = LoggerFactory.getLogger(NodeHealthComponent.class);

    /** Unrecovered failures by component: what happened and when, in the order they happened. */
    private final Map<String, String> failures = new LinkedHashMap<>();
    private AutoCloseable threadListener;
    private Thread.UncaughtExceptionHandler previousDefault;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile PairConfiguration pairConfiguration;

    @Activate
    void activate() {
        threadListener = ThreadFailures.listen((thread, error, owned) -> {
            if (!owned) {
                failed(ThreadFailures.groupOf(thread), "thread " + thread.getName() + " died: " + error);
            }
        });
        previousDefault = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> ThreadFailures.report(thread, error, false));
    }

    @Deactivate
    void deactivate() throws Exception {
        Thread.setDefaultUncaughtExceptionHandler(previousDefault);
        threadListener.close();
    }

    @Override
    public synchronized Status status() {
        return failures.isEmpty() ? Status.OK : Status.FAILED;
    }

    @Override
    public synchronized List<String> problems() {
        List<String> problems = new ArrayList<>();
        failures.forEach((component, problem) -> problems.add(component + ": " + problem));
        return problems;
    }

    @Override
    public void failed(String component, String problem) {
        Status previous;
        synchronized (this) {
            previous = status();
            failures.put(component, problem + " (since " + Instant.now() + ")");
        }
        logger.error("Node health FAILED: {}: {}", component, problem);
        post(previous, Status.FAILED, component, problem);
    }

    @Override
    public void recovered(String component, String how) {
        Status previous;
        Status current;
        synchronized (this) {
            if (failures.remove(component) == null) {
                return;
            }
            previous = Status.FAILED;
            current = status();
        }
        logger.warn("Node health {}: {} recovered: {}", current, component, how);
        post(previous, current, component, how);
    }

    private void post(Status previous, Status current, String component, String reason) {
        ColoEvents.post(eventAdmin, new NodeHealthChanged(EventSource.now(pairConfiguration), previous, current,
                component, reason));
    }
}
