package dev.colo.api.management;

/**
 * Management view of one NBD export, {@code dev.colo:type=NbdExport,name=<quoted export name>}: its
 * configuration and its counters.
 */
public interface NbdExportMXBean {
    /** ObjectName pattern; the name key is the quoted export name. */
    String OBJECT_NAME_PREFIX = "dev.colo:type=NbdExport,name=";

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
