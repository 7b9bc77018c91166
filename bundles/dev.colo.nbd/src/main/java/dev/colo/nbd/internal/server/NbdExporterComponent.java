package dev.colo.nbd.internal.server;

import dev.colo.nbd.export.ExportSpec;
import dev.colo.nbd.export.ExportTls;
import dev.colo.nbd.export.NbdExportHandle;
import dev.colo.nbd.export.NbdExporter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link NbdExporter} service: each export runs as a configured one does ({@link ServedExport}), with
 * {@link ExportSpec#describe()} as the MXBean's backing path. Exports left open are closed on deactivation;
 * the devices never are (their callers own them).
 */
@Component(service = NbdExporter.class, immediate = true)
public final class NbdExporterComponent implements NbdExporter {
    private static final Logger logger = LoggerFactory.getLogger(NbdExporterComponent.class);

    private final BundleContext context;
    /** By export name: names must be unique, as they name the MXBeans. */
    private final Map<String, Handle> exports = new ConcurrentHashMap<>();
    private final AtomicBoolean deactivated = new AtomicBoolean();

    @Activate
    public NbdExporterComponent(BundleContext context) {
        this.context = context;
    }

    @Override
    public NbdExportHandle export(ExportSpec spec) throws IOException {
        if (deactivated.get()) {
            throw new IllegalStateException("the NBD exporter is shutting down");
        }
        Handle reserved = new Handle(spec.name());
        if (exports.putIfAbsent(spec.name(), reserved) != null) {
            throw new IllegalArgumentException("an export named '" + spec.name() + "' is already running");
        }
        try {
            reserved.served = ServedExport.start(context, new NbdExport(spec.name(), spec.device(), spec.waits()),
                    spec.bindAddress(), serverTls(spec.tls()), spec.describe());
        } catch (IOException | RuntimeException e) {
            exports.remove(spec.name(), reserved);
            throw e;
        }
        if (deactivated.get()) {
            // deactivate() ran while this export started and may have missed it
            reserved.close();
            throw new IllegalStateException("the NBD exporter is shutting down");
        }
        return reserved;
    }

    @Deactivate
    void deactivate() {
        deactivated.set(true);
        List<Handle> open = List.copyOf(exports.values());
        open.forEach(Handle::close);
        if (!open.isEmpty()) {
            logger.info("NBD exporter stopped; closed exports {}", open.stream().map(Handle::name).toList());
        }
    }

    static ServerTls serverTls(ExportTls tls) {
        TlsMode mode = switch (tls.mode()) {
            case NONE -> TlsMode.NONE;
            case OPTIONAL -> TlsMode.OPTIONAL;
            case REQUIRED -> TlsMode.REQUIRED;
        };
        return new ServerTls(mode, tls.context(), tls.requireClientCertificate());
    }

    /** An export of this component; reserved under its name before it is started. */
    private final class Handle implements NbdExportHandle {
        private final String name;
        private volatile ServedExport served;

        Handle(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public InetSocketAddress address() {
            return served.address();
        }

        @Override
        public void close() {
            ServedExport running = served;
            if (running != null) {
                running.close(); // idempotent
            }
            exports.remove(name, this);
        }
    }
}
