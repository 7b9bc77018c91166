package dev.colo.nbd.export;

import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * TLS of an export, negotiated through {@code NBD_OPT_STARTTLS} (TLS 1.3 only).
 *
 * @param mode                     whether STARTTLS is offered and whether it is required
 * @param context                  the server's SSL context; null only with {@link Mode#NONE}
 * @param requireClientCertificate whether clients must present a certificate the context trusts
 */
public record ExportTls(Mode mode, SSLContext context, boolean requireClientCertificate) {

    /** Whether an export offers TLS. */
    public enum Mode {
        /** STARTTLS is refused; everything is clear text. */
        NONE,
        /** STARTTLS is offered; clients may also go on in clear text. */
        OPTIONAL,
        /** Every option but STARTTLS and ABORT is refused until TLS is up. */
        REQUIRED
    }

    public ExportTls {
        Objects.requireNonNull(mode, "mode");
        if (mode != Mode.NONE && context == null) {
            throw new IllegalArgumentException("TLS " + mode + " needs an SSL context");
        }
        if (mode == Mode.NONE && requireClientCertificate) {
            throw new IllegalArgumentException("a client certificate cannot be required without TLS");
        }
    }

    /** Clear text only. */
    public static ExportTls none() {
        return new ExportTls(Mode.NONE, null, false);
    }

    /** TLS before anything else, and a client certificate that {@code context} trusts. */
    public static ExportTls required(SSLContext context) {
        return new ExportTls(Mode.REQUIRED, context, true);
    }
}
