package dev.colo.itests.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * Clients that a node must refuse on its peer-link port: TLS 1.3 clients that trust any server (so that what
 * is tested is the server refusing them), with an untrusted certificate or none, and a plaintext client.
 * JDK classes only and no test framework: the Pax Exam test also runs these inside the Karaf container,
 * where this class comes as a bundle of its own. A failed expectation is an {@link AssertionError}.
 */
public final class Intruders {
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final String PLAINTEXT_GREETING = "HELLO colo-b here, no TLS please\r\n";
    private static final int TLS_ALERT = 0x15;

    private Intruders() {
    }

    /** How the server got rid of an intruder: the intruder's local port (to find the server's event) and what happened. */
    public record Refusal(int localPort, String outcome) {
    }

    /**
     * A TLS 1.3 context that trusts any server. With a {@code keyStore} (PKCS12) it presents that store's one key
     * whatever issuers the server asks for; without one ({@code null}) it presents no certificate at all.
     */
    public static SSLContext tlsContext(Path keyStore, String password) throws GeneralSecurityException, IOException {
        KeyManager[] keyManagers = null;
        if (keyStore != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                keys.load(in, password.toCharArray());
            }
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, password.toCharArray());
            keyManagers = new KeyManager[] {new AlwaysPresenting((X509ExtendedKeyManager) factory.getKeyManagers()[0],
                    keys.aliases().nextElement())};
        }
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keyManagers, new TrustManager[] {new TrustAnything()}, null);
        return context;
    }

    /**
     * Connects with {@code context} and expects no application data, and the connection to end within
     * {@code timeout}: refused in the handshake, or (TLS 1.3, where the client finishes before the server has
     * judged its certificate) closed right after it.
     */
    public static Refusal tlsClient(SSLContext context, InetSocketAddress address, Duration timeout, String client)
            throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            socket.connect(address, CONNECT_TIMEOUT_MS);
            socket.setSoTimeout((int) timeout.toMillis());
            String outcome;
            try {
                socket.startHandshake();
                // the server's verdict on the certificate comes as the next read
                int first = socket.getInputStream().read();
                if (first != -1) {
                    throw new AssertionError(client + " received application data (first byte " + first + ")");
                }
                outcome = "handshake completed on the client side, then the server closed the connection";
            } catch (SocketTimeoutException e) {
                throw new AssertionError(client + ": the server neither refused nor closed the connection within "
                        + timeout, e);
            } catch (SSLException | SocketException e) {
                outcome = "refused: " + e;
            }
            return new Refusal(socket.getLocalPort(), outcome);
        }
    }

    /**
     * Connects without TLS, sends a line of text and expects the connection to end within {@code timeout} with
     * nothing or a TLS alert record received: anything else would be data given to an unauthenticated client.
     */
    public static Refusal plaintextClient(InetSocketAddress address, Duration timeout, String client) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, CONNECT_TIMEOUT_MS);
            socket.setSoTimeout((int) timeout.toMillis());
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            String outcome;
            try {
                OutputStream out = socket.getOutputStream();
                out.write(PLAINTEXT_GREETING.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[512];
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    received.write(buffer, 0, n);
                }
                outcome = "closed by the server";
            } catch (SocketTimeoutException e) {
                throw new AssertionError(client + ": the server neither refused nor closed the connection within "
                        + timeout, e);
            } catch (SocketException e) {
                outcome = "reset by the server: " + e.getMessage();
            }
            byte[] bytes = received.toByteArray();
            if (bytes.length > 0 && bytes[0] != TLS_ALERT) {
                throw new AssertionError(client + " received " + bytes.length + " bytes that are not a TLS alert");
            }
            return new Refusal(socket.getLocalPort(),
                    outcome + (bytes.length > 0 ? " after a TLS alert of " + bytes.length + " bytes" : ", no data"));
        }
    }

    /** Trusts every server certificate. Only for intruders. */
    private static final class TrustAnything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** Presents its one key whatever issuers the server asks for (the JDK's own would then send no certificate). */
    private static final class AlwaysPresenting extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager keys;
        private final String alias;

        AlwaysPresenting(X509ExtendedKeyManager keys, String alias) {
            this.keys = keys;
            this.alias = alias;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return alias;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return alias;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {alias};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }
}
