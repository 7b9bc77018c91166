package dev.colo.nbd.internal.server;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A minimal bundle context for components constructed as SCR would: records what they register, and which
 * JMX object names are still registered; any other call fails. For tests (also of other modules).
 */
public final class RecordingBundleContext {
    public final List<Object> services = new ArrayList<>();
    public final List<Dictionary<String, ?>> properties = new ArrayList<>();
    public volatile int unregistered;
    private final Set<Object> liveObjectNames = ConcurrentHashMap.newKeySet();

    public BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        synchronized (this) {
                            services.add(args[1]);
                            @SuppressWarnings("unchecked")
                            Dictionary<String, ?> dictionary = (Dictionary<String, ?>) args[2];
                            properties.add(dictionary);
                            Object objectName = dictionary.get("jmx.objectname");
                            if (objectName != null && !liveObjectNames.add(objectName)) {
                                throw new IllegalStateException("two MBeans named " + objectName);
                            }
                            return registration(objectName);
                        }
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** JMX object names registered and not unregistered. */
    public Set<Object> liveObjectNames() {
        return Set.copyOf(liveObjectNames);
    }

    private ServiceRegistration<?> registration(Object objectName) {
        return (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                    if (m.getName().equals("unregister")) {
                        synchronized (this) {
                            if (objectName != null && !liveObjectNames.remove(objectName)) {
                                throw new IllegalStateException("already unregistered");
                            }
                            unregistered++;
                        }
                    }
                    return null;
                });
    }
}
