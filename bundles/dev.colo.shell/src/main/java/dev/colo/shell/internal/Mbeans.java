package dev.colo.shell.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * The node's own MXBeans, as the colo:* commands read and invoke them: the shell does what JMX does, through
 * the same beans, so the two can never disagree.
 */
final class Mbeans {
    private final MBeanServer server;

    Mbeans(MBeanServer server) {
        this.server = server;
    }

    /** An attribute; empty when the bean is not registered (its bundle or its configuration is not active). */
    Optional<Object> attribute(String objectName, String attribute) throws JMException {
        try {
            return Optional.ofNullable(server.getAttribute(name(objectName), attribute));
        } catch (InstanceNotFoundException notThere) {
            return Optional.empty();
        }
    }

    /** An item of a composite attribute; empty when the bean is not registered. */
    Optional<Object> item(String objectName, String attribute, String item) throws JMException {
        return attribute(objectName, attribute).map(value -> ((CompositeData) value).get(item));
    }

    /** Invokes an operation with String parameters (none, or as many as it takes) and returns its answer. */
    String invoke(String objectName, String operation, String... arguments) throws JMException {
        String[] signature = new String[arguments.length];
        Arrays.fill(signature, String.class.getName());
        return String.valueOf(server.invoke(name(objectName), operation,
                Arrays.copyOf(arguments, arguments.length, Object[].class), signature));
    }

    /** The beans matching a pattern, sorted. */
    List<ObjectName> query(String pattern) throws JMException {
        List<ObjectName> names = new ArrayList<>(server.queryNames(name(pattern), null));
        names.sort(null);
        return names;
    }

    /** An attribute as the commands print it: {@code -} when the bean or the value is not there. */
    String text(String objectName, String attribute) throws JMException {
        return attribute(objectName, attribute).map(String::valueOf).orElse("-");
    }

    /** An item of a composite attribute as the commands print it. */
    String text(String objectName, String attribute, String item) throws JMException {
        return item(objectName, attribute, item).map(String::valueOf).orElse("-");
    }

    static ObjectName name(String objectName) throws MalformedObjectNameException {
        return new ObjectName(objectName);
    }
}
