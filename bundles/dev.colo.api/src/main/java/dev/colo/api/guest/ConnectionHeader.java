package dev.colo.api.guest;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * What the proxy tells a guest that follows an order about each connection (or, for UDP, each datagram) before its
 * first byte: a PROXY protocol version 2 header (the HAProxy specification, which many servers read) with the
 * client's address and one TLV of type {@value #CONNECTION_TLV} (the first of the range the specification leaves to
 * applications) holding a version byte ({@value #TLV_VERSION}) and the connection's pair-wide id, 8 bytes, big
 * endian: the id both nodes' proxies give that connection, under which the primary's order names it. A UDP flow's
 * datagrams each carry the header of their flow. Its parser reads only what it can check: the signature, version 2,
 * the PROXY command, a length of at most {@value #MAX_LENGTH} bytes, and TLVs that fit it.
 */
public record ConnectionHeader(long connection, InetSocketAddress client, InetSocketAddress server, boolean datagram) {
    private static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    /** The TLV type of the pair-wide connection id. */
    public static final int CONNECTION_TLV = 0xE0;
    public static final int TLV_VERSION = 1;
    /** The longest header this parser takes (addresses of IPv6 and a few TLVs; the specification allows more). */
    public static final int MAX_LENGTH = 256;
    private static final int FIXED_BYTES = 16;

    /** The header's bytes. */
    public byte[] encode() {
        boolean v6 = client.getAddress() instanceof Inet6Address || server.getAddress() instanceof Inet6Address;
        int addressBytes = v6 ? 36 : 12;
        int tlvBytes = 3 + 1 + 8;
        ByteBuffer out = ByteBuffer.allocate(FIXED_BYTES + addressBytes + tlvBytes);
        out.put(SIGNATURE);
        out.put((byte) 0x21); // version 2, PROXY
        out.put((byte) ((v6 ? 0x20 : 0x10) | (datagram ? 0x02 : 0x01)));
        out.putShort((short) (addressBytes + tlvBytes));
        out.put(bytes(client.getAddress(), v6));
        out.put(bytes(server.getAddress(), v6));
        out.putShort((short) client.getPort());
        out.putShort((short) server.getPort());
        out.put((byte) CONNECTION_TLV);
        out.putShort((short) 9);
        out.put((byte) TLV_VERSION);
        out.putLong(connection);
        return out.array();
    }

    /** Whether the bytes of {@code in} (from its position) are the start of a header so far. */
    public static boolean mayStart(ByteBuffer in) {
        for (int i = 0; i < Math.min(SIGNATURE.length, in.remaining()); i++) {
            if (in.get(in.position() + i) != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads a header from the start of {@code in}: empty while more bytes are needed (nothing consumed); the header
     * once whole (consumed, {@code in} left at the first byte after it).
     *
     * @throws IllegalArgumentException naming what is wrong when the bytes are not such a header
     */
    public static Optional<ConnectionHeader> read(ByteBuffer in) {
        int start = in.position();
        for (int i = 0; i < Math.min(SIGNATURE.length, in.remaining()); i++) {
            if (in.get(start + i) != SIGNATURE[i]) {
                throw new IllegalArgumentException("the connection does not start with a PROXY protocol v2 header "
                        + "(the proxy sends one to a guest that follows an order)");
            }
        }
        if (in.remaining() < FIXED_BYTES) {
            return Optional.empty();
        }
        int versionCommand = in.get(start + 12) & 0xff;
        int family = in.get(start + 13) & 0xff;
        int length = in.getShort(start + 14) & 0xffff;
        if (versionCommand != 0x21) {
            throw new IllegalArgumentException(String.format("a PROXY header of version/command 0x%02x (0x21 "
                    + "expected: version 2, PROXY)", versionCommand));
        }
        if (length > MAX_LENGTH - FIXED_BYTES) {
            throw new IllegalArgumentException("a PROXY header of " + (FIXED_BYTES + length) + " bytes (at most "
                    + MAX_LENGTH + ")");
        }
        if (in.remaining() < FIXED_BYTES + length) {
            return Optional.empty();
        }
        boolean v6 = switch (family >> 4) {
            case 1 -> false;
            case 2 -> true;
            default -> throw new IllegalArgumentException(String.format("a PROXY header of address family 0x%02x "
                    + "(IPv4 or IPv6 expected)", family));
        };
        boolean datagram = switch (family & 0x0f) {
            case 1 -> false;
            case 2 -> true;
            default -> throw new IllegalArgumentException(String.format("a PROXY header of transport 0x%02x "
                    + "(stream or datagram expected)", family));
        };
        int addressBytes = v6 ? 36 : 12;
        if (length < addressBytes) {
            throw new IllegalArgumentException("a PROXY header of " + length + " bytes after its fixed part, shorter "
                    + "than its addresses (" + addressBytes + ")");
        }
        ByteBuffer header = in.duplicate();
        header.position(start + FIXED_BYTES).limit(start + FIXED_BYTES + length);
        InetAddress clientAddress = address(header, v6);
        InetAddress serverAddress = address(header, v6);
        int clientPort = header.getShort() & 0xffff;
        int serverPort = header.getShort() & 0xffff;
        Long connection = null;
        while (header.hasRemaining()) {
            if (header.remaining() < 3) {
                throw new IllegalArgumentException("a PROXY header whose TLVs end inside a TLV's header");
            }
            int type = header.get() & 0xff;
            int tlvLength = header.getShort() & 0xffff;
            if (tlvLength > header.remaining()) {
                throw new IllegalArgumentException("a PROXY header TLV of " + tlvLength + " bytes with "
                        + header.remaining() + " left");
            }
            if (type == CONNECTION_TLV) {
                if (tlvLength != 9 || (header.get(header.position()) & 0xff) != TLV_VERSION) {
                    throw new IllegalArgumentException("a connection TLV of " + tlvLength + " bytes, version "
                            + (tlvLength > 0 ? header.get(header.position()) & 0xff : -1) + " (9 bytes, version "
                            + TLV_VERSION + " expected)");
                }
                connection = header.getLong(header.position() + 1);
            }
            header.position(header.position() + tlvLength);
        }
        if (connection == null || connection < 0) {
            throw new IllegalArgumentException("a PROXY header without a connection id (TLV 0xE0)");
        }
        in.position(start + FIXED_BYTES + length);
        return Optional.of(new ConnectionHeader(connection, new InetSocketAddress(clientAddress, clientPort),
                new InetSocketAddress(serverAddress, serverPort), datagram));
    }

    private static byte[] bytes(InetAddress address, boolean v6) {
        byte[] raw = address.getAddress();
        if (!v6 || raw.length == 16) {
            return raw;
        }
        byte[] mapped = new byte[16]; // an IPv4 address beside an IPv6 one: ::ffff:a.b.c.d
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
    }

    private static InetAddress address(ByteBuffer header, boolean v6) {
        byte[] raw = new byte[v6 ? 16 : 4];
        header.get(raw);
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an address of " + raw.length + " bytes: " + Arrays.toString(raw), e);
        }
    }
}
