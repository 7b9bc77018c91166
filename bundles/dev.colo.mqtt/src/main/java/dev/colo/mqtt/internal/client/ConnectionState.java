package dev.colo.mqtt.internal.client;

/** The publisher's connection to its broker. */
public enum ConnectionState {
    /** No broker configured. */
    DISABLED,
    /** Trying the brokers. */
    CONNECTING,
    /** Connected: status online, state and backlog published. */
    CONNECTED,
    /** Lost or refused; the next attempt is scheduled. */
    DISCONNECTED
}
