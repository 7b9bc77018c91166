package dev.colo.nbd.internal.server;

import dev.colo.api.management.ManagedBean;
import dev.colo.nbd.internal.jmx.NbdExportMBean;
import dev.colo.nbd.internal.mina.NbdServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.DynamicMBean;
import javax.management.NotCompliantMBeanException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;

/**
 * A listening export and its MXBean ({@code dev.colo:type=NbdExport,name=<quoted name>}, registered through
 * the JMX whiteboard), as both the configured and the programmatic exports run them. {@link #close()} stops
 * both but leaves the device open: whoever opened the device closes it.
 */
public final class ServedExport implements AutoCloseable {
    private final NbdServer server;
    private final InetSocketAddress address;
    private final ServiceRegistration<DynamicMBean> mbeanRegistration;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ServedExport(NbdServer server, InetSocketAddress address,
            ServiceRegistration<DynamicMBean> mbeanRegistration) {
        this.server = server;
        this.address = address;
        this.mbeanRegistration = mbeanRegistration;
    }

    /**
     * Binds the export's listener and registers its MXBean; on failure nothing is left running.
     *
     * @param backing what the MXBean reports as the backing path
     * @throws IOException when the address cannot be bound
     */
    public static ServedExport start(BundleContext context, NbdExport export, InetSocketAddress bindAddress,
            ServerTls tls, String backing) throws IOException {
        NbdServer server = new NbdServer(export, bindAddress, export.workerThreads(), tls);
        try {
            InetSocketAddress bound = server.start();
            NbdExportMBean mbean = new NbdExportMBean(export, backing, bound);
            ServiceRegistration<DynamicMBean> registration = context.registerService(DynamicMBean.class, mbean,
                    FrameworkUtil.asDictionary(Map.of("jmx.objectname", NbdExportMBean.objectName(export.name()))));
            return new ServedExport(server, bound, registration);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        } catch (NotCompliantMBeanException e) {
            server.close();
            throw new IllegalStateException("NbdExportMXBean is not a compliant MXBean", e);
        }
    }

    public String name() {
        return server.export().name();
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return address;
    }

    /** Unregisters the MXBean, then stops the listener and its connections; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            ManagedBean.unregisterQuietly(mbeanRegistration);
        } finally {
            server.close();
        }
    }
}
