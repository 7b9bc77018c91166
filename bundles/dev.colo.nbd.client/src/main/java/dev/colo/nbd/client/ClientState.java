package dev.colo.nbd.client;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * States of one client connection (one dial, one epoch), libnbd style: an explicit transition table,
 * with {@link #DEAD} (protocol error or connection lost) distinct from {@link #CLOSED} (orderly). Both
 * are terminal; a reconnect uses a new connection that starts again in {@link #START}.
 */
public enum ClientState {
    /** Created, not yet dialling. */
    START,
    /** TCP connect in progress. */
    CONNECTING,
    /** Connected, waiting for NBDMAGIC, IHAVEOPT and the handshake flags. */
    AWAIT_GREETING,
    /** Between options: the next option (STARTTLS, STRUCTURED_REPLY, GO or EXPORT_NAME) is about to be sent. */
    SEND_OPTIONS,
    /** An option was sent; waiting for its reply (or replies, for NBD_OPT_GO). */
    AWAIT_OPTION_REPLY,
    /** STARTTLS accepted, the TLS handshake runs. */
    TLS_HANDSHAKE,
    /** Transmission phase: requests may be sent. */
    READY,
    /** Orderly close: no new requests; NBD_CMD_DISC is sent once the requests in flight are answered. */
    CLOSING,
    /** Terminal: closed in order. */
    CLOSED,
    /** Terminal: the connection was lost or the server broke the protocol. In-flight requests failed. */
    DEAD;

    private static final Map<ClientState, Map<ClientEvent, ClientState>> TABLE = buildTable();

    private static Map<ClientState, Map<ClientEvent, ClientState>> buildTable() {
        Map<ClientState, Map<ClientEvent, ClientState>> table = new EnumMap<>(ClientState.class);
        for (ClientState state : values()) {
            table.put(state, new EnumMap<>(ClientEvent.class));
        }
        table.get(START).put(ClientEvent.DIAL, CONNECTING);
        table.get(START).put(ClientEvent.CLOSE, CLOSED);
        table.get(CONNECTING).put(ClientEvent.CONNECTED, AWAIT_GREETING);
        table.get(AWAIT_GREETING).put(ClientEvent.GREETING, SEND_OPTIONS);
        table.get(SEND_OPTIONS).put(ClientEvent.OPTION_SENT, AWAIT_OPTION_REPLY);
        table.get(AWAIT_OPTION_REPLY).put(ClientEvent.OPTION_REPLY, SEND_OPTIONS);
        table.get(AWAIT_OPTION_REPLY).put(ClientEvent.STARTTLS_ACCEPTED, TLS_HANDSHAKE);
        table.get(AWAIT_OPTION_REPLY).put(ClientEvent.EXPORT_ACCEPTED, READY);
        table.get(TLS_HANDSHAKE).put(ClientEvent.TLS_SECURED, SEND_OPTIONS);
        for (ClientState live : new ClientState[] {CONNECTING, AWAIT_GREETING, SEND_OPTIONS, AWAIT_OPTION_REPLY,
                TLS_HANDSHAKE, READY}) {
            table.get(live).put(ClientEvent.CLOSE, CLOSING);
            table.get(live).put(ClientEvent.SESSION_CLOSED, DEAD);
            table.get(live).put(ClientEvent.FAILURE, DEAD);
        }
        table.get(CLOSING).put(ClientEvent.SESSION_CLOSED, CLOSED);
        table.get(CLOSING).put(ClientEvent.FAILURE, DEAD);
        Map<ClientState, Map<ClientEvent, ClientState>> frozen = new EnumMap<>(ClientState.class);
        table.forEach((state, row) -> frozen.put(state, Collections.unmodifiableMap(row)));
        return Collections.unmodifiableMap(frozen);
    }

    /** The state {@code event} leads to from this state, empty if the event is not allowed here. */
    public Optional<ClientState> next(ClientEvent event) {
        return Optional.ofNullable(TABLE.get(this).get(event));
    }

    /** The allowed events of this state and where they lead (unmodifiable). */
    public Map<ClientEvent, ClientState> transitions() {
        return TABLE.get(this);
    }

    /** Whether no event leaves this state. */
    public boolean isTerminal() {
        return this == CLOSED || this == DEAD;
    }

    /** Whether the handshake is in progress (before READY, not terminal, not closing). */
    public boolean isHandshaking() {
        return this == CONNECTING || this == AWAIT_GREETING || this == SEND_OPTIONS || this == AWAIT_OPTION_REPLY
                || this == TLS_HANDSHAKE;
    }
}
