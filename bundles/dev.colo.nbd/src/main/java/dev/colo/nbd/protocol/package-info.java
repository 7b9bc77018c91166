/**
 * The NBD wire protocol (fixed newstyle handshake and transmission phase), independent of any network
 * library: every constant in {@link dev.colo.nbd.protocol.NbdConstants}, the option, command, reply and
 * errno values as enums that print their spec names, the messages as records, one class per protocol
 * phase ({@link dev.colo.nbd.protocol.HandshakeWire}, {@link dev.colo.nbd.protocol.TransmissionWire})
 * that decodes from and encodes to {@link java.nio.ByteBuffer}s, and the
 * {@link dev.colo.nbd.protocol.RequestValidator}, kept apart from request handling.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.colo.nbd.protocol;
