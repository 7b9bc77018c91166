package dev.colo.proxy.internal.mina;

import java.nio.ByteBuffer;

/** Where the output of a guest connection goes: the primary's compare, or the secondary's redirect. */
interface GuestSink {
    void output(ByteBuffer data);

    void ended();
}
