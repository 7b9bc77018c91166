package dev.colo.replication.internal.config;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of one protected disk (factory configuration {@value DiskSettings#PID}). The component validates
 * the raw values itself ({@link DiskSettings}) so that an error quotes the value as written.
 */
@ObjectClassDefinition(id = DiskSettings.PID, name = "COLO protected disk",
        description = "One disk replicated between the pair the way QEMU's block replication does it")
public @interface DiskConfig {
    @AttributeDefinition(description = "Disk name, the same on both nodes: 1-64 of [A-Za-z0-9._-]")
    String name();

    @AttributeDefinition(description = "Absolute path of the local disk: the primary's disk, or S on a secondary")
    String local_path();

    @AttributeDefinition(description = "Absolute path of the active overlay A (a sparse file as large as the disk)")
    String active_path();

    @AttributeDefinition(description = "Absolute path of the hidden overlay H (a sparse file as large as the disk)")
    String hidden_path();

    @AttributeDefinition(description = "Disk size in bytes; a missing local disk is created sparse of it; "
            + "0 = use the existing size", min = "0")
    long size_bytes() default 0;

    @AttributeDefinition(description = "sync (acknowledge when both nodes wrote, the default) or async "
            + "(acknowledge after the local write; weaker)")
    String mode() default "sync";

    @AttributeDefinition(description = "Block size of the overlays and the dirty bitmap (power of two, 512 B-1 MiB)")
    int block_size_bytes() default 4096;

    @AttributeDefinition(required = false, description = "Dirty bitmap file (default: <local.path>.colo-dirty)")
    String bitmap_path();

    @AttributeDefinition(required = false, description = "Failover commit journal (default: <local.path>.colo-commit)")
    String journal_path();

    @AttributeDefinition(required = false, description = "Generation identifiers of the disk "
            + "(default: <local.path>.colo-generation)")
    String generation_path();

    @AttributeDefinition(required = false, description = "Hex id a fresh disk's history starts with; give both "
            + "nodes the same one only for disks created empty together (the first protection then copies nothing)")
    String initial_generation();

    @AttributeDefinition(description = "Port this node takes its primary's writes on when it is secondary "
            + "(NBD, mutual TLS with the pair's certificates)", min = "1", max = "65535")
    int replication_port() default 10810;

    @AttributeDefinition(required = false, description = "Port the peer takes this node's writes on "
            + "(default: replication.port)", min = "1", max = "65535")
    int peer_replication_port();

    @AttributeDefinition(description = "Address of the local NBD export of the guest's view")
    String export_bind_address() default "127.0.0.1";

    @AttributeDefinition(description = "Port of the local NBD export of the guest's view; 0 = no export",
            min = "0", max = "65535")
    int export_port() default 0;

    @AttributeDefinition(description = "Milliseconds a write waits for the secondary before dropping it",
            min = "100", max = "600000")
    long forward_timeout_ms() default 3000;

    @AttributeDefinition(description = "Resynchronisation rate limit in bytes per second; 0 = unlimited", min = "0")
    long resync_rate_bytes_per_second() default 0;

    String webconsole_configurationFactory_nameHint() default "Protected disk {name}";
}
