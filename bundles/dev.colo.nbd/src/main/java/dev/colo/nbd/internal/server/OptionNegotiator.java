package dev.colo.nbd.internal.server;

import dev.colo.nbd.protocol.ClientFlags;
import dev.colo.nbd.protocol.ExportNameReply;
import dev.colo.nbd.protocol.HandshakeWire;
import dev.colo.nbd.protocol.HandshakeWire.InfoRequest;
import dev.colo.nbd.protocol.HandshakeWire.MalformedOptionException;
import dev.colo.nbd.protocol.HandshakeWire.MetaContextRequest;
import dev.colo.nbd.protocol.NbdConstants;
import dev.colo.nbd.protocol.NbdOption;
import dev.colo.nbd.protocol.NbdOptionReply;
import dev.colo.nbd.protocol.Negotiated;
import dev.colo.nbd.protocol.OptionReply;
import dev.colo.nbd.protocol.OptionRequest;
import dev.colo.nbd.protocol.ServerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Option haggling of one connection (fixed newstyle), independent of the network: each option gives the
 * replies to send and what comes next. Unknown and unsupported options are answered
 * {@code NBD_REP_ERR_UNSUP} and haggling continues.
 */
public final class OptionNegotiator {

    /** What follows an option. */
    public enum Next {
        /** Keep reading options. */
        OPTIONS,
        /** The export was chosen: requests follow. */
        TRANSMISSION,
        /** Send the replies, then close (ABORT, or EXPORT_NAME for an unknown export). */
        CLOSE,
        /** Send the ACK in clear text, then start TLS as the server; options follow inside TLS. */
        START_TLS
    }

    /** The replies to one option, in order, and the next phase. */
    public record Outcome(List<ServerMessage> replies, Next next) {
    }

    private static final Logger logger = LoggerFactory.getLogger(OptionNegotiator.class);

    private final NbdExport export;
    private final TlsMode tlsMode;
    private boolean tlsActive;
    private ClientFlags clientFlags = new ClientFlags(0);
    private boolean structuredReplies;
    private boolean baseAllocation;

    public OptionNegotiator(NbdExport export) {
        this(export, TlsMode.NONE);
    }

    public OptionNegotiator(NbdExport export, TlsMode tlsMode) {
        this.export = export;
        this.tlsMode = tlsMode;
    }

    /** TLS is up: the options that follow arrived encrypted. */
    public void tlsStarted() {
        tlsActive = true;
    }

    public void clientFlags(ClientFlags flags) {
        this.clientFlags = flags;
    }

    /** What the connection agreed on; meaningful once the handshake ended. */
    public Negotiated negotiated() {
        return new Negotiated(structuredReplies, baseAllocation);
    }

    public Outcome handle(OptionRequest request) {
        int code = request.option();
        Optional<NbdOption> known = request.known();
        if (known.isEmpty()) {
            return unsupported(code);
        }
        NbdOption option = known.get();
        if (tlsMode == TlsMode.REQUIRED && !tlsActive && option != NbdOption.STARTTLS && option != NbdOption.ABORT) {
            if (option == NbdOption.EXPORT_NAME) {
                return new Outcome(List.of(), Next.CLOSE); // cannot be answered with an error
            }
            return reply(OptionReply.error(code, NbdOptionReply.ERR_TLS_REQD));
        }
        try {
            return switch (option) {
                case EXPORT_NAME -> exportName(request);
                case ABORT -> new Outcome(List.of(OptionReply.ack(code)), Next.CLOSE);
                case LIST -> list(request);
                case INFO -> info(request, false);
                case GO -> info(request, true);
                case STRUCTURED_REPLY -> structuredReply(request);
                case LIST_META_CONTEXT -> metaContext(request, false);
                case SET_META_CONTEXT -> metaContext(request, true);
                case STARTTLS -> startTls(request);
                case PEEK_EXPORT, EXTENDED_HEADERS -> unsupported(code);
            };
        } catch (MalformedOptionException e) {
            logger.debug("{} refused as invalid: {}", NbdOption.nameOf(code), e.getMessage());
            return reply(OptionReply.error(code, NbdOptionReply.ERR_INVALID));
        }
    }

    private Outcome exportName(OptionRequest request) throws MalformedOptionException {
        String name;
        try {
            name = HandshakeWire.parseExportName(request.data());
        } catch (MalformedOptionException e) {
            return new Outcome(List.of(), Next.CLOSE); // no way to answer EXPORT_NAME with an error
        }
        if (!export.answersTo(name)) {
            logger.debug("NBD_OPT_EXPORT_NAME for unknown export '{}': closing", name);
            return new Outcome(List.of(), Next.CLOSE);
        }
        int flags = export.info().transmissionFlags(structuredReplies);
        return new Outcome(List.of(new ExportNameReply(export.info().sizeBytes(), flags, clientFlags.noZeroes())),
                Next.TRANSMISSION);
    }

    private Outcome startTls(OptionRequest request) {
        if (tlsMode == TlsMode.NONE) {
            return unsupported(request.option());
        }
        if (tlsActive || request.data().length != 0) {
            return reply(OptionReply.error(request.option(), NbdOptionReply.ERR_INVALID));
        }
        return new Outcome(List.of(OptionReply.ack(request.option())), Next.START_TLS);
    }

    private Outcome list(OptionRequest request) {
        if (request.data().length != 0) {
            return reply(OptionReply.error(request.option(), NbdOptionReply.ERR_INVALID));
        }
        return new Outcome(List.of(OptionReply.server(request.option(), export.name()),
                OptionReply.ack(request.option())), Next.OPTIONS);
    }

    private Outcome info(OptionRequest request, boolean go) throws MalformedOptionException {
        int code = request.option();
        InfoRequest info = HandshakeWire.parseInfoRequest(request.data());
        if (!export.answersTo(info.exportName())) {
            return reply(OptionReply.error(code, NbdOptionReply.ERR_UNKNOWN));
        }
        List<ServerMessage> replies = new ArrayList<>();
        replies.add(OptionReply.infoExport(code, export.info(), export.info().transmissionFlags(structuredReplies)));
        replies.add(OptionReply.infoBlockSize(code, export.info()));
        if (info.infoTypes().contains(NbdConstants.INFO_NAME)) {
            replies.add(OptionReply.infoName(code, export.info()));
        }
        replies.add(OptionReply.ack(code));
        return new Outcome(replies, go ? Next.TRANSMISSION : Next.OPTIONS);
    }

    private Outcome structuredReply(OptionRequest request) {
        if (request.data().length != 0) {
            return reply(OptionReply.error(request.option(), NbdOptionReply.ERR_INVALID));
        }
        structuredReplies = true;
        return reply(OptionReply.ack(request.option()));
    }

    private Outcome metaContext(OptionRequest request, boolean set) throws MalformedOptionException {
        int code = request.option();
        if (set && !structuredReplies) {
            return reply(OptionReply.error(code, NbdOptionReply.ERR_INVALID));
        }
        MetaContextRequest meta = HandshakeWire.parseMetaContextRequest(request.data());
        if (!export.answersTo(meta.exportName())) {
            return reply(OptionReply.error(code, NbdOptionReply.ERR_UNKNOWN));
        }
        boolean matched = set ? meta.queries().contains(NbdConstants.META_BASE_ALLOCATION)
                : meta.queries().isEmpty() || meta.queries().stream().anyMatch(OptionNegotiator::listQueryMatches);
        if (set) {
            baseAllocation = matched; // SET replaces any earlier selection
        }
        List<ServerMessage> replies = new ArrayList<>();
        if (matched) {
            replies.add(OptionReply.metaContext(code, NbdConstants.META_BASE_ALLOCATION_ID,
                    NbdConstants.META_BASE_ALLOCATION));
        }
        replies.add(OptionReply.ack(code));
        return new Outcome(replies, Next.OPTIONS);
    }

    private static boolean listQueryMatches(String query) {
        return query.equals("base:") || query.equals(NbdConstants.META_BASE_ALLOCATION);
    }

    private static Outcome unsupported(int code) {
        logger.debug("{} unsupported", NbdOption.nameOf(code));
        return reply(OptionReply.error(code, NbdOptionReply.ERR_UNSUP));
    }

    private static Outcome reply(OptionReply reply) {
        return new Outcome(List.of(reply), Next.OPTIONS);
    }
}
