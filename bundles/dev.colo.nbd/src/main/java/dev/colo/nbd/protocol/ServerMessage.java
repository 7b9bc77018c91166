package dev.colo.nbd.protocol;

import java.nio.ByteBuffer;

/**
 * A message from the server to the client, encoded as one buffer, so that replies written concurrently
 * by several threads can never interleave on the wire.
 */
public sealed interface ServerMessage
        permits ServerGreeting, OptionReply, ExportNameReply, SimpleReply, StructuredReplyChunk {

    /** The complete wire image, positioned at 0 and ready to be written. */
    ByteBuffer encode();
}
