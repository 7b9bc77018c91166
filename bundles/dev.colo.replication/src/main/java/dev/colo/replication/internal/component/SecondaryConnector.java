package dev.colo.replication.internal.component;

import dev.colo.api.transport.PeerTls;
import dev.colo.nbd.client.NbdClient;
import dev.colo.replication.internal.primary.NbdReplicaTarget;
import dev.colo.replication.internal.primary.ReplicaTarget;
import dev.colo.replication.internal.primary.SecondaryReconnector;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Connects the primary to the secondary's replication export: NBD over TLS 1.3 with the pair's certificates. */
final class SecondaryConnector implements SecondaryReconnector.Connector {
    private final String host;
    private final int port;
    private final String disk;
    private final PeerTls peerTls;
    private final Duration timeout;

    SecondaryConnector(String host, int port, String disk, PeerTls peerTls, Duration timeout) {
        this.host = host;
        this.port = port;
        this.disk = disk;
        this.peerTls = peerTls;
        this.timeout = timeout;
    }

    @Override
    public ReplicaTarget connect() throws IOException {
        NbdClient.Options options = NbdClient.Options.defaults().withAutoReconnect(false).withConnectTimeout(timeout)
                .withTls(peerTls.context());
        try {
            NbdClient client = NbdClient.connect(host, port, disk, options)
                    .get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
            return new NbdReplicaTarget(client);
        } catch (ExecutionException e) {
            throw new IOException("cannot reach the replication export " + this + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no answer from the replication export " + this + " within " + timeout.toMillis() * 2
                    + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + this, e);
        }
    }

    @Override
    public String toString() {
        return "nbds://" + host + ":" + port + "/" + disk;
    }
}
