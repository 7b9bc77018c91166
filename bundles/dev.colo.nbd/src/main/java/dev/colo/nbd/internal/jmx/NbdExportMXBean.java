package dev.colo.nbd.internal.jmx;

/**
 * Management view of one NBD export, {@code dev.colo:type=NbdExport,name=<export name>}.
 *
 * <p>TODO: move to {@code dev.colo.api.management} (exported) once the API module takes it, so remote
 * JMX proxies can use the interface; it lives here only because this bundle may not change the API.
 */
public interface NbdExportMXBean {

    String getExportName();

    String getBackingPath();

    long getSizeBytes();

    boolean isReadOnly();

    String getListenAddress();

    int getListenPort();

    /** Every counter of the export, taken at one moment. */
    NbdExportStats getStatistics();

    int getConnectionsOpen();

    int getRequestsInFlight();

    long getErrorReplies();
}
