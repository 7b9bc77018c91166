package dev.colo.nbd.internal.jmx;

import dev.colo.api.management.NbdExportMXBean;
import dev.colo.api.management.NbdExportStats;
import dev.colo.nbd.internal.server.NbdExport;
import java.net.InetSocketAddress;
import javax.management.NotCompliantMBeanException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * The {@link NbdExportMXBean} of one export, a {@link StandardMBean} built as an MXBean so that the JMX
 * whiteboard registers open types (the stats record becomes CompositeData).
 */
public final class NbdExportMBean extends StandardMBean implements NbdExportMXBean {
    private final NbdExport export;
    private final String backingPath;
    private final InetSocketAddress address;

    public NbdExportMBean(NbdExport export, String backingPath, InetSocketAddress address)
            throws NotCompliantMBeanException {
        super(NbdExportMXBean.class, true);
        this.export = export;
        this.backingPath = backingPath;
        this.address = address;
    }

    /** {@code dev.colo:type=NbdExport,name=<quoted export name>}. */
    public static String objectName(String exportName) {
        return NbdExportMXBean.OBJECT_NAME_PREFIX + ObjectName.quote(exportName);
    }

    @Override
    public String getExportName() {
        return export.name();
    }

    @Override
    public String getBackingPath() {
        return backingPath;
    }

    @Override
    public long getSizeBytes() {
        return export.info().sizeBytes();
    }

    @Override
    public boolean isReadOnly() {
        return export.info().readOnly();
    }

    @Override
    public String getListenAddress() {
        return address.getHostString();
    }

    @Override
    public int getListenPort() {
        return address.getPort();
    }

    @Override
    public NbdExportStats getStatistics() {
        return export.counters().snapshot();
    }

    @Override
    public int getConnectionsOpen() {
        return export.counters().connectionsOpen();
    }

    @Override
    public int getRequestsInFlight() {
        return export.counters().inFlight();
    }

    @Override
    public long getErrorReplies() {
        return export.counters().errorReplies();
    }
}
