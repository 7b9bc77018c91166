package dev.colo.transport.internal;

import dev.colo.api.ColoException;
import dev.colo.api.pair.PairConfiguration;
import dev.colo.api.pair.PairSettings;
import dev.colo.api.transport.PeerTls;
import javax.net.ssl.SSLContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PeerTls} from the pair configuration, built by {@link TlsContextFactory} exactly as the peer link's
 * context is, so other connections between the nodes authenticate the peer as the link does. A new pair
 * configuration re-creates the component (static reference) and with it the context.
 */
@Component(service = PeerTls.class)
public final class PeerTlsComponent implements PeerTls {
    private static final Logger LOG = LoggerFactory.getLogger(PeerTlsComponent.class);

    private final SSLContext context;

    /**
     * @throws IllegalStateException with a {@link ColoException} cause when the key material is unusable
     */
    @Activate
    public PeerTlsComponent(@Reference PairConfiguration pairConfiguration) {
        PairSettings settings = pairConfiguration.settings();
        try {
            this.context = TlsContextFactory.create(settings.tls(), settings.nodeId());
        } catch (ColoException e) {
            LOG.error("Peer TLS unavailable: {}", e.getMessage());
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public SSLContext context() {
        return context;
    }

    @Override
    public String[] protocols() {
        return new String[] {TlsContextFactory.PROTOCOL};
    }
}
