package dev.colo.failover.internal.component;

import dev.colo.api.transport.PeerMessageListener;
import dev.colo.api.transport.PeerMessageRelay;
import dev.colo.failover.internal.claim.RoleClaim;
import org.osgi.service.component.annotations.Component;

/** Receives the peer's role claims; references nothing (a listener that needed the link would be a cycle). */
@Component(service = {RoleClaimReceiver.class, PeerMessageListener.class},
        property = PeerMessageListener.TYPE_PROPERTY + "=" + RoleClaim.TYPE)
public final class RoleClaimReceiver extends PeerMessageRelay {
}
