package dev.colo.pair.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Metatype of the pair configuration. The component validates the raw values itself (see
 * {@link PairSettingsParser}) so that an error can quote the value exactly as the operator wrote it.
 */
@ObjectClassDefinition(id = "dev.colo.pair", name = "COLO pair",
        description = "This node's identity and role, its peer, the peer link's TLS material and the failure detector")
public @interface PairConfig {
    @AttributeDefinition(description = "This node's id: 1-63 of [a-z0-9-]; the CN of its certificate")
    String node_id();

    @AttributeDefinition(description = "This node's role", options = {
            @Option(value = "primary", label = "primary"), @Option(value = "secondary", label = "secondary")})
    String role();

    @AttributeDefinition(description = "Address the peer link listens on")
    String listen_address() default "0.0.0.0";

    @AttributeDefinition(description = "TCP port the peer link listens on (1-65535)", min = "1", max = "65535")
    int listen_port() default 7800;

    @AttributeDefinition(description = "Host name or address of the peer")
    String peer_host();

    @AttributeDefinition(description = "Peer-link TCP port of the peer (1-65535)", min = "1", max = "65535")
    int peer_port() default 7800;

    @AttributeDefinition(description = "PKCS#12 key store with this node's key and certificate chain")
    String tls_keystore_path();

    @AttributeDefinition(description = "Password of the key store", type = AttributeType.PASSWORD)
    String tls_keystore_password();

    @AttributeDefinition(description = "PKCS#12 trust store with the pair's CA certificate")
    String tls_truststore_path();

    @AttributeDefinition(description = "Password of the trust store", type = AttributeType.PASSWORD)
    String tls_truststore_password();

    @AttributeDefinition(required = false,
            description = "SHA-256 fingerprint (hex) the peer's certificate must have; empty for none")
    String tls_peer_fingerprint_sha256() default "";

    @AttributeDefinition(description = "Milliseconds between heartbeats (10-60000)", min = "10", max = "60000")
    long heartbeat_interval_ms() default 100;

    @AttributeDefinition(description = "Milliseconds of silence after which the peer is DEAD (at least 3 intervals)",
            min = "30", max = "600000")
    long heartbeat_timeout_ms() default 1000;

    @AttributeDefinition(description = "Largest peer-link frame accepted, in bytes (2097152-268435456: checkpoint "
            + "state and proxy data travel in pieces of up to 1 MiB); the same on both nodes",
            min = "2097152", max = "268435456")
    int link_max_frame_bytes() default 16 * 1024 * 1024;

    @AttributeDefinition(description = "First reconnect delay of the peer link, in milliseconds", min = "10")
    long link_reconnect_min_ms() default 100;

    @AttributeDefinition(description = "Largest reconnect delay of the peer link, in milliseconds", min = "10")
    long link_reconnect_max_ms() default 5000;
}
