package dev.colo.nbd.internal.server;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of one NBD export (factory configuration {@value NbdExportComponent#PID}). The component
 * validates the raw values itself ({@link NbdExportSettings}) so that an error quotes the value as written.
 */
@ObjectClassDefinition(id = NbdExportComponent.PID, name = "COLO NBD export",
        description = "One file or block device served over NBD on its own TCP listener")
public @interface NbdExportConfig {
    @AttributeDefinition(description = "Export name clients ask for: 1-128 of [A-Za-z0-9._:-], starting with a "
            + "letter or digit")
    String name();

    @AttributeDefinition(description = "Absolute path of the backing file or block device")
    String path();

    @AttributeDefinition(description = "Export size in bytes; a missing file is created sparse and a shorter one "
            + "extended to it; 0 = use the existing size", min = "0")
    long size_bytes() default 0;

    @AttributeDefinition(description = "Serve the export read-only (writes fail with EPERM)")
    boolean read_only() default false;

    @AttributeDefinition(description = "Require TLS (NBD_OPT_STARTTLS) before any other option; needs "
            + "tls.keystore.path")
    boolean tls_required() default false;

    @AttributeDefinition(required = false, description = "PKCS#12 key store with the server's key and certificate; "
            + "when set, NBD_OPT_STARTTLS (TLS 1.3) is offered")
    String tls_keystore_path();

    @AttributeDefinition(required = false, description = "Password of the key store",
            type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String tls_keystore_password();

    @AttributeDefinition(required = false, description = "PKCS#12 trust store; when set, clients must present a "
            + "certificate it trusts")
    String tls_truststore_path();

    @AttributeDefinition(required = false, description = "Password of the trust store",
            type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String tls_truststore_password();

    @AttributeDefinition(description = "Address the export listens on")
    String bind_address() default "0.0.0.0";

    @AttributeDefinition(description = "TCP port the export listens on (1-65535); one listener per export",
            min = "1", max = "65535")
    int port() default 10809;

    String webconsole_configurationFactory_nameHint() default "NBD export {name} on {bind.address}:{port}";
}
