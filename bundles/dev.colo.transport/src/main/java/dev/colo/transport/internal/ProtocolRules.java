package dev.colo.transport.internal;

import dev.colo.transport.internal.frame.FrameKind;

/**
 * Which frames a connection may receive, as a pure function of its direction and whether its greeting
 * (HELLO on inbound, WELCOME on outbound) was accepted. Anything else is a protocol violation.
 */
public final class ProtocolRules {
    private ProtocolRules() {
    }

    public static boolean mayReceive(Direction direction, boolean greeted, FrameKind kind) {
        if (kind == FrameKind.GOODBYE) {
            return true;
        }
        return switch (direction) {
            case INBOUND -> kind == (greeted ? FrameKind.MESSAGE : FrameKind.HELLO);
            // we send our messages on outbound connections; the peer answers only the greeting
            case OUTBOUND -> !greeted && kind == FrameKind.WELCOME;
        };
    }
}
