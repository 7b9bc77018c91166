package dev.colo.proxy.internal.component;

import dev.colo.proxy.internal.config.ServiceSettings;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of one protected service (factory configuration {@value ServiceSettings#PID}). The component
 * validates the raw values itself ({@link ServiceSettings}) so that an error quotes the value as written.
 */
@ObjectClassDefinition(id = ServiceSettings.PID, name = "COLO protected service",
        description = "A service reached through the primary's proxy; its guests' outputs are compared")
public @interface ServiceConfig {
    @AttributeDefinition(description = "Service name, the same on both nodes: 1-64 of [A-Za-z0-9._-]")
    String name();

    @AttributeDefinition(description = "tcp (compared per connection) or udp (per flow, datagram by datagram)")
    String protocol() default "tcp";

    @AttributeDefinition(description = "Address clients connect to (on the primary)")
    String listen_address() default "0.0.0.0";

    @AttributeDefinition(description = "Port clients connect to (on the primary)", min = "1", max = "65535")
    int listen_port();

    @AttributeDefinition(description = "This node's guest: host")
    String guest_host() default "127.0.0.1";

    @AttributeDefinition(description = "This node's guest: port", min = "1", max = "65535")
    int guest_port();

    @AttributeDefinition(description = "Held output older than this asks for a checkpoint (ms)", min = "1")
    long compare_timeout_ms() default 500;

    @AttributeDefinition(description = "Held output per connection at which at.bound applies (bytes)", min = "4096")
    long max_held_bytes() default 16777216;

    @AttributeDefinition(description = "Connections (or UDP flows) at once; more are refused", min = "1")
    int max_connections() default 1024;

    @AttributeDefinition(description = "At the bound: pause (stop reading the guest's output; the default for tcp) "
            + "or checkpoint (the default for udp)")
    String at_bound() default "";

    @AttributeDefinition(description = "Held output older than this, or a timer that has not run for this long, is a "
            + "hung proxy: the node's health is FAILED and the proxy restarts (ms; default 30000 or ten compare "
            + "timeouts; more than compare.timeout.ms)", min = "1000")
    long watchdog_timeout_ms() default 30000;

    String webconsole_configurationFactory_nameHint() default "Protected service {name}";
}
