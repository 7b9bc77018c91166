package dev.colo.failover.internal.component;

import dev.colo.api.transport.PeerMessageListener;
import dev.colo.api.transport.PeerMessageRelay;
import dev.colo.failover.internal.claim.RoleClaim;
import dev.colo.failover.internal.switchover.SwitchoverMessage;
import org.osgi.service.component.annotations.Component;

/**
 * Receives the peer failover controller's messages (role claims, switchovers); references nothing (a listener that
 * needed the link would be a cycle).
 */
@Component(service = {RoleClaimReceiver.class, PeerMessageListener.class},
        property = {PeerMessageListener.TYPE_PROPERTY + "=" + RoleClaim.TYPE,
            PeerMessageListener.TYPE_PROPERTY + "=" + SwitchoverMessage.TYPE})
public final class RoleClaimReceiver extends PeerMessageRelay {
}
