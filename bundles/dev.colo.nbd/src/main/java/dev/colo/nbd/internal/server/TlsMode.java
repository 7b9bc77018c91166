package dev.colo.nbd.internal.server;

/** Whether an export offers TLS through {@code NBD_OPT_STARTTLS}. */
public enum TlsMode {
    /** No key material: STARTTLS is answered NBD_REP_ERR_UNSUP. */
    NONE,
    /** STARTTLS is offered; clients may also go on in clear text. */
    OPTIONAL,
    /** Every option but STARTTLS and ABORT is refused (NBD_REP_ERR_TLS_REQD) until TLS is up. */
    REQUIRED
}
