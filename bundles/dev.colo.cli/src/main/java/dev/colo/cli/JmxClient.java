package dev.colo.cli;

import dev.colo.api.management.NodeMXBean;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/** A JMX connection to one node (Karaf's RMI connector, JAAS user and password) and its Node MXBean. */
final class JmxClient implements AutoCloseable {
    static final ObjectName NODE = objectName(NodeMXBean.OBJECT_NAME);

    /** What dev.colo:type=Node says; enums arrive as their names (MXBean mapping). */
    record NodeStatus(boolean configured, String nodeId, String role, String peerHealth, String linkState,
                      long uptimeMillis) {
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

    /** Connects within {@code timeout}; any failure is an IOException with a one-line reason. */
    static JmxClient connect(String serviceUrl, String user, String password, Duration timeout) throws IOException {
        JMXServiceURL url = new JMXServiceURL(serviceUrl);
        Map<String, Object> env = new HashMap<>();
        env.put(JMXConnector.CREDENTIALS, new String[] {user, password});
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
            AttributeList list = connection.getAttributes(NODE,
                    new String[] {"Configured", "NodeId", "Role", "PeerHealth", "LinkState", "UptimeMillis"});
            Map<String, Object> values = new HashMap<>();
            for (Attribute attribute : list.asList()) {
                values.put(attribute.getName(), attribute.getValue());
            }
            return new NodeStatus(
                    Boolean.TRUE.equals(values.get("Configured")),
                    string(values.get("NodeId")),
                    string(values.get("Role")),
                    string(values.get("PeerHealth")),
                    string(values.get("LinkState")),
                    values.get("UptimeMillis") instanceof Number n ? n.longValue() : -1L);
        } catch (InstanceNotFoundException e) {
            throw new IOException(NodeMXBean.OBJECT_NAME + " is not registered (yet)");
        } catch (IOException e) {
            throw new IOException(reason(e), e);
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
        return value == null ? "unknown" : value.toString();
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }
}
