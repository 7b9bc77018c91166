package dev.colo.api.management;

/**
 * Management view of one protected service's proxy, {@code dev.colo:type=Proxy,name=<quoted service name>}.
 */
public interface ProxyMXBean {
    /** ObjectName pattern; the name key is the quoted service name. */
    String OBJECT_NAME_PREFIX = "dev.colo:type=Proxy,name=";

    /** {@code OBJECT_NAME_PREFIX} and the quoted service name. */
    static String objectName(String service) {
        return OBJECT_NAME_PREFIX + javax.management.ObjectName.quote(service);
    }

    String getServiceName();

    /** {@code tcp} or {@code udp}. */
    String getProtocol();

    /** Where clients connect (on the primary). */
    String getListenAddress();

    /** Whether output is compared with a secondary's (false: forwarded directly, the secondary is away). */
    boolean isProtecting();

    /**
     * Whether a listener accepts clients on the listen address. False on a secondary, and on a primary that cannot
     * listen yet (the port still held, the address not on this host): it tries again until it can, and posts a
     * {@code dev/colo/proxy/listening} event at each change.
     */
    boolean isServiceListening();

    /** Every counter at one moment. */
    ProxyStats getStatistics();
}
