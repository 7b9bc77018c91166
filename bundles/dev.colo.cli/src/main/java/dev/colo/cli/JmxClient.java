package dev.colo.cli;

import dev.colo.api.management.CheckpointMXBean;
import dev.colo.api.management.FailoverMXBean;
import dev.colo.api.management.NodeMXBean;
import dev.colo.api.management.PairProtection;
import dev.colo.api.management.ReplicationMXBean;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.management.Attribute;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A JMX connection to one node (Karaf's RMI connector, JAAS user and password), its Node MXBean, its
 * Replication MXBeans (one per protected disk) and its Proxy MXBeans (one per protected service).
 */
final class JmxClient implements AutoCloseable {
    static final ObjectName NODE = objectName(NodeMXBean.OBJECT_NAME);
    static final ObjectName CHECKPOINT = objectName(CheckpointMXBean.OBJECT_NAME);
    static final ObjectName FAILOVER = objectName(FailoverMXBean.OBJECT_NAME);
    /** Every Replication MXBean of a node: {@code dev.colo:type=Replication,*}. */
    static final ObjectName REPLICATION_PATTERN = objectName("dev.colo:type=Replication,*");
    /** The Replication MXBean attributes {@link DiskStatus} is made of. */
    static final String[] DISK_ATTRIBUTES = {"DiskName", "Role", "Stage", "Epoch", "Degraded", "DirtyBytes",
        "ActiveOverlayBytes", "HiddenOverlayBytes", "Error", "ExportUri", "LocalPath", "ActiveOverlayPath",
        "HiddenOverlayPath"};
    /** Every Proxy MXBean of a node: {@code dev.colo:type=Proxy,*}. */
    static final ObjectName PROXY_PATTERN = objectName("dev.colo:type=Proxy,*");
    /** The Proxy MXBean attributes {@link ServiceStatus} is made of. */
    static final String[] SERVICE_ATTRIBUTES = {"ServiceName", "ListenAddress", "ServiceListening"};

    /** What dev.colo:type=Node says; enums arrive as their names (MXBean mapping). */
    record NodeStatus(boolean configured, String nodeId, String role, String peerHealth, String linkState,
                      long uptimeMillis, String health, List<String> healthProblems) {
    }

    /**
     * What one {@code dev.colo:type=Replication,name="<disk>"} says; the stage arrives as its name
     * (NONE, RUNNING, FAILOVER, FAILOVER_FAILED, DONE), {@code unknown} if absent. {@code error} is empty if none.
     */
    record DiskStatus(String name, String role, String stage, long epoch, boolean degraded, long dirtyBytes,
                      long activeOverlayBytes, long hiddenOverlayBytes, String error, String exportUri,
                      String localPath, String activeOverlayPath, String hiddenOverlayPath) {
        static final String RUNNING = "RUNNING";

        /** From the attributes by name, as {@code getAttributes} returned them (a missing one reads as unknown). */
        static DiskStatus from(Map<String, Object> values) {
            return new DiskStatus(string(values.get("DiskName")), string(values.get("Role")),
                    string(values.get("Stage")), number(values.get("Epoch")),
                    Boolean.TRUE.equals(values.get("Degraded")), number(values.get("DirtyBytes")),
                    number(values.get("ActiveOverlayBytes")), number(values.get("HiddenOverlayBytes")),
                    values.get("Error") == null ? "" : string(values.get("Error")), string(values.get("ExportUri")),
                    string(values.get("LocalPath")), string(values.get("ActiveOverlayPath")),
                    string(values.get("HiddenOverlayPath")));
        }

        boolean running() {
            return RUNNING.equals(stage);
        }
    }

    /**
     * What one {@code dev.colo:type=Proxy,name="<service>"} says: where clients connect, and whether a listener
     * accepts them there (never on a secondary; a missing attribute reads as not listening).
     */
    record ServiceStatus(String name, String listenAddress, boolean listening) {
        static ServiceStatus from(Map<String, Object> values) {
            return new ServiceStatus(string(values.get("ServiceName")), string(values.get("ListenAddress")),
                    Boolean.TRUE.equals(values.get("ServiceListening")));
        }
    }

    /**
     * What a node's Checkpoint, Failover and Proxy MXBeans say; a null field: that bean is not registered (a node
     * without a guest has no coordinator; one starting has neither yet).
     *
     * @param checkpointsProtect whether the checkpoints protect the pair (a full checkpoint completed and none
     *                           failed since)
     * @param checkpointEpoch    the node's last completed (or, on a secondary, loaded) checkpoint
     * @param failover           the failover controller's state
     * @param failoverProgress   its step and the disks' commit into S
     * @param reprotection       the phase of re-protection, as the primary sees it, and the disks' resynchronisation
     * @param services           the node's protected services, by name
     */
    record Protection(Boolean checkpointsProtect, Long checkpointEpoch, String failover, Progress failoverProgress,
                      Progress reprotection, List<ServiceStatus> services) {
        static final Protection UNKNOWN = new Protection(null, null, null, null, null, List.of());

        Protection {
            services = List.copyOf(services);
        }

        /** Whether the pair is protected (see {@link PairProtection}); null when the checkpoints' word is unknown. */
        Boolean protecting() {
            return checkpointsProtect == null ? null : PairProtection.isProtected(checkpointsProtect,
                    services.stream().map(ServiceStatus::listening).toList());
        }

        /** The services of the node that refuse clients. */
        List<ServiceStatus> notListening() {
            return services.stream().filter(service -> !service.listening()).toList();
        }
    }

    /** Long work as a node reports it: what it does, percent done, expected seconds to go (-1: unknown). */
    record Progress(String what, int percent, long etaSeconds) {
    }

    /** The node's {@link Protection}; an IOException (one-line reason) if the node does not answer. */
    Protection protection() throws IOException {
        try {
            Object protecting = optional(CHECKPOINT, "Protecting");
            Object epoch = optional(CHECKPOINT, "Epoch");
            Object state = optional(FAILOVER, "State");
            return new Protection((Boolean) protecting, epoch == null ? null : number(epoch),
                    state == null ? null : string(state),
                    progress((CompositeData) optional(FAILOVER, "Progress"), "step", "commit"),
                    progress((CompositeData) optional(FAILOVER, "Reprotection"), "phase", "resync"),
                    each(PROXY_PATTERN, SERVICE_ATTRIBUTES, ServiceStatus::from,
                            Comparator.comparing(ServiceStatus::name)));
        } catch (IOException e) {
            throw new IOException(reason(e), e);
        } catch (Exception e) {
            throw new IOException(reason(e), e);
        }
    }

    /** {@code what} and {@code <prefix>Percent}, {@code <prefix>EtaSeconds} of a progress record; null for null. */
    private static Progress progress(CompositeData data, String what, String prefix) {
        return data == null ? null : new Progress(string(data.get(what)),
                ((Number) data.get(prefix + "Percent")).intValue(), number(data.get(prefix + "EtaSeconds")));
    }

    /** An attribute of the MBean {@code name}, or null when that MBean is not registered. */
    private Object optional(ObjectName name, String attribute) throws Exception {
        try {
            return connection.getAttribute(name, attribute);
        } catch (InstanceNotFoundException notRegistered) {
            return null;
        }
    }

    static {
        // never wait forever for a node that accepted the connection but does not answer
        System.setProperty("sun.rmi.transport.tcp.responseTimeout", "10000");
        System.setProperty("sun.rmi.transport.connectionTimeout", "5000");
    }

    private final JMXConnector connector;
    private final MBeanServerConnection connection;

    private JmxClient(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.connection = connector.getMBeanServerConnection();
    }

    /**
     * Connects within {@code timeout}, trusting the pair's CA for the connector's TLS; any failure is an IOException
     * with a one-line reason.
     */
    static JmxClient connect(PairFile.Jmx jmx, Duration timeout) throws IOException {
        if (jmx.trustStore() != null) {
            JmxTrust.trust(jmx.trustStore(), jmx.trustStorePassword());
        }
        JMXServiceURL url = new JMXServiceURL(jmx.serviceUrl());
        Map<String, Object> env = new HashMap<>();
        env.put(JMXConnector.CREDENTIALS, new String[] {jmx.user(), jmx.password()});
        env.put("jmx.remote.x.client.connection.check.period", 0L);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "colo-jmx-connect");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<JMXConnector> future = executor.submit(() -> JMXConnectorFactory.connect(url, env));
            return new JmxClient(future.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            throw new IOException("no JMX answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IOException(reason(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } finally {
            executor.shutdownNow();
        }
    }

    /** Reads the Node MXBean; an IOException (one-line reason) if it cannot. */
    NodeStatus nodeStatus() throws IOException {
        try {
            Map<String, Object> values = attributes(NODE, "Configured", "NodeId", "Role", "PeerHealth", "LinkState",
                    "UptimeMillis", "Health", "HealthProblems");
            return new NodeStatus(
                    Boolean.TRUE.equals(values.get("Configured")),
                    string(values.get("NodeId")),
                    string(values.get("Role")),
                    string(values.get("PeerHealth")),
                    string(values.get("LinkState")),
                    values.get("UptimeMillis") instanceof Number n ? n.longValue() : -1L,
                    values.get("Health") == null ? "UNKNOWN" : string(values.get("Health")),
                    values.get("HealthProblems") instanceof String[] problems ? List.of(problems) : List.of());
        } catch (InstanceNotFoundException e) {
            throw new IOException(NodeMXBean.OBJECT_NAME + " is not registered (yet)");
        } catch (IOException e) {
            throw new IOException(reason(e), e);
        } catch (Exception e) {
            throw new IOException(reason(e), e);
        }
    }

    /** The Replication MXBean of disk {@code name}, empty while it is not registered; else IOException. */
    Optional<DiskStatus> disk(String name) throws IOException {
        try {
            return Optional.of(DiskStatus.from(attributes(replication(name), DISK_ATTRIBUTES)));
        } catch (InstanceNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IOException(reason(e), e);
        } catch (Exception e) {
            throw new IOException(reason(e), e);
        }
    }

    /** Every Replication MXBean registered on the node, by disk name; none if the node protects no disk. */
    List<DiskStatus> disks() throws IOException {
        try {
            return each(REPLICATION_PATTERN, DISK_ATTRIBUTES, DiskStatus::from, Comparator.comparing(DiskStatus::name));
        } catch (IOException e) {
            throw new IOException(reason(e), e);
        } catch (Exception e) {
            throw new IOException(reason(e), e);
        }
    }

    /** {@code dev.colo:type=Replication,name=<quoted name>}. */
    static ObjectName replication(String diskName) {
        return objectName(ReplicationMXBean.objectName(diskName));
    }

    /**
     * The attributes of every MBean matching {@code pattern}, each made into a {@code T}, in {@code order}; an MBean
     * unregistered since the query (its configuration went away, its component restarts) is left out.
     */
    private <T> List<T> each(ObjectName pattern, String[] attributes, Function<Map<String, Object>, T> from,
            Comparator<T> order) throws Exception {
        List<T> all = new ArrayList<>();
        for (ObjectName name : connection.queryNames(pattern, null)) {
            try {
                all.add(from.apply(attributes(name, attributes)));
            } catch (InstanceNotFoundException e) {
                // unregistered since the query
            }
        }
        all.sort(order);
        return List.copyOf(all);
    }

    /** The attributes of the MBean {@code name} by name; one that cannot be read is absent. */
    private Map<String, Object> attributes(ObjectName name, String... attributes) throws Exception {
        Map<String, Object> values = new HashMap<>();
        for (Attribute attribute : connection.getAttributes(name, attributes).asList()) {
            values.put(attribute.getName(), attribute.getValue());
        }
        return values;
    }

    /**
     * Polls {@code attribute} of MBean {@code name} until it equals {@code expected}; a read that fails (not
     * registered yet, or the node restarting its components) is polled again. False after {@code timeout}.
     */
    boolean await(String name, String attribute, Object expected, Duration timeout) throws InterruptedException {
        return await(name, attribute, expected, timeout, seen -> { });
    }

    /**
     * {@link #await(String, String, Object, Duration)}, telling {@code progress} each value read that differs from
     * the one before (a failed read as {@code unreadable (reason)}), the expected one included.
     */
    boolean await(String name, String attribute, Object expected, Duration timeout, Consumer<String> progress)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            String seen;
            boolean reached = false;
            try {
                Object value = attribute(name, attribute);
                reached = expected.equals(value);
                seen = String.valueOf(value);
            } catch (IOException notYet) {
                seen = "unreadable (" + reason(notYet) + ")"; // poll again
            }
            if (!seen.equals(last)) {
                progress.accept(seen);
                last = seen;
            }
            if (reached) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** One attribute of the MBean {@code name}, as the JMX client receives it. */
    Object attribute(String name, String attribute) throws IOException {
        try {
            return connection.getAttribute(objectName(name), attribute);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(reason(e), e);
        }
    }

    /** Invokes the operation {@code operation} of the MBean {@code name} with String parameters; returns its result. */
    Object invoke(String name, String operation, String... arguments) throws IOException {
        Object[] params = Arrays.copyOf(arguments, arguments.length, Object[].class);
        String[] signature = new String[arguments.length];
        Arrays.fill(signature, String.class.getName());
        try {
            return connection.invoke(objectName(name), operation, params, signature);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(reason(e), e);
        }
    }

    /** One attribute of the Node MXBean, as the JMX client receives it. */
    Object nodeAttribute(String name) throws IOException {
        try {
            return connection.getAttribute(NODE, name);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(reason(e), e);
        }
    }

    @Override
    public void close() {
        try {
            connector.close();
        } catch (IOException | RuntimeException ignored) {
            // closing a connection to a dead node
        }
    }

    /** The innermost message of an exception chain, for one-line reports. */
    static String reason(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (t instanceof SecurityException || cause instanceof SecurityException) {
            return "login refused (" + cause.getMessage() + ")";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }

    private static String string(Object value) {
        if (value instanceof Enum<?> constant) {
            return constant.name();
        }
        return value == null ? "unknown" : value.toString();
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : -1L;
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }
}
