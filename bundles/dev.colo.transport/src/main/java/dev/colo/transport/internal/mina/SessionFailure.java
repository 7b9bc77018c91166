package dev.colo.transport.internal.mina;

import dev.colo.api.ColoErrorCode;
import dev.colo.api.ColoException;
import dev.colo.transport.internal.frame.FrameException;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Why a session failed, sorted into what the transport does about it.
 *
 * @param kind        the sort of failure
 * @param description what happened, for the log
 * @param error       for {@link Kind#TLS} and {@link Kind#FRAMING}: the peer's fault, as reported in events;
 *                    {@code null} otherwise
 * @param cause       the exception behind it, {@code null} when the transport itself found the fault
 */
record SessionFailure(Kind kind, String description, ColoException error, Throwable cause) {

    enum Kind {
        /** TLS failed: plaintext, no or untrusted certificate, unsupported protocol version. */
        TLS,
        /** The peer broke the frame protocol (bad magic, oversize frame, wrong greeting). */
        FRAMING,
        /** The connection broke (reset, timeout); nothing the peer did wrong. */
        IO,
        /** Our own bug; logged with its stack trace. */
        INTERNAL
    }

    /** Whether an inbound connection failing this way before its greeting counts as a refused peer. */
    boolean refusesPeer() {
        return kind == Kind.TLS || kind == Kind.FRAMING;
    }

    static SessionFailure framing(FrameException e, String remote) {
        return peerFault(Kind.FRAMING, e.toColoException(remote));
    }

    private static SessionFailure peerFault(Kind kind, ColoException error) {
        return new SessionFailure(kind, error.getMessage(), error, error.getCause());
    }

    static SessionFailure classify(Throwable cause, String remote) {
        FrameException frame = find(cause, FrameException.class);
        if (frame != null) {
            return framing(frame, remote);
        }
        if (find(cause, SSLException.class) != null) {
            ColoErrorCode code = isCertificateProblem(cause) ? ColoErrorCode.PEER_UNTRUSTED
                    : ColoErrorCode.PEER_PROTOCOL_VIOLATION;
            return peerFault(Kind.TLS, new ColoException(cause, code, remote, "TLS: " + rootMessage(cause)));
        }
        Kind kind = find(cause, IOException.class) != null ? Kind.IO : Kind.INTERNAL;
        return new SessionFailure(kind, cause.toString(), null, cause);
    }

    private static boolean isCertificateProblem(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertificateException || t instanceof SSLPeerUnverifiedException
                    || String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("certificate")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    private static <T extends Throwable> T find(Throwable cause, Class<T> type) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
