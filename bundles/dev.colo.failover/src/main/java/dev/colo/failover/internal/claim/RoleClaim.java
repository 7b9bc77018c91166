package dev.colo.failover.internal.claim;

import dev.colo.api.Role;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What a node tells its peer whenever the link connects and whenever it becomes primary: its role and when it
 * was last promoted by a failover (0: never, it was configured so). Two primaries that meet compare them: the
 * one promoted later is the one clients were moved to; the other steps down. Free of network code.
 *
 * @param promotedAtMillis when this node last became primary by a failover (ms since 1970), 0 if never
 */
public record RoleClaim(Role role, long promotedAtMillis) {
    public static final String TYPE = "failover.role";

    /** What a primary does on a peer's claim. */
    public enum Verdict {
        /** Nothing to settle (not both primaries). */
        NONE,
        /** Both primaries, this one promoted earlier (or never, while the peer was): this one steps down. */
        STEP_DOWN,
        /** Both primaries, this one promoted later: the peer steps down. */
        STAY,
        /** Both primaries and neither promoted by a failover: configured so; an operator must decide. */
        UNDECIDABLE
    }

    /** What this node, claiming {@code this}, must do about the peer's {@code claim}. */
    public Verdict settle(RoleClaim peer) {
        if (role != Role.PRIMARY || peer.role() != Role.PRIMARY) {
            return Verdict.NONE;
        }
        if (promotedAtMillis == peer.promotedAtMillis()) {
            return Verdict.UNDECIDABLE;
        }
        return promotedAtMillis < peer.promotedAtMillis() ? Verdict.STEP_DOWN : Verdict.STAY;
    }

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(role.configValue());
            out.writeLong(promotedAtMillis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** @throws IOException naming what is wrong with the payload */
    public static RoleClaim decode(byte[] payload) throws IOException {
        if (payload.length > 64) {
            throw new IOException(TYPE + " of " + payload.length + " bytes");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            String role = in.readUTF();
            long promotedAt = in.readLong();
            if (in.available() != 0) {
                throw new IOException(TYPE + " with " + in.available() + " bytes too many");
            }
            for (Role candidate : Role.values()) {
                if (candidate.configValue().equals(role)) {
                    return new RoleClaim(candidate, promotedAt);
                }
            }
            throw new IOException(TYPE + " with an unknown role '" + role + "'");
        } catch (EOFException e) {
            throw new IOException("truncated " + TYPE, e);
        }
    }
}
