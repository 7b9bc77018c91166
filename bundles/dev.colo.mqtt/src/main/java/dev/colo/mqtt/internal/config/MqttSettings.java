package dev.colo.mqtt.internal.config;

import dev.colo.api.config.ConfigReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The validated configuration of the MQTT publisher (PID {@value #PID}; optional: without broker URLs the publisher
 * is off). {@link #parse} throws an {@link dev.colo.api.config.InvalidConfigurationException} naming the key and
 * quoting the value.
 *
 * @param brokerUrls        the brokers, tried in order ({@code tcp://} or {@code ssl://}); empty: off
 * @param clientId          the MQTT client id; empty: {@code colo-<node.id>}
 * @param username          empty: none
 * @param trustStore        for {@code ssl://} brokers; empty: the pair's trust store
 * @param topicPrefix       the first level(s) of every topic, without a trailing {@code /}
 * @param backlogMaxEvents  events kept on disk while the broker is away
 * @param keepAliveSeconds  the MQTT keep-alive
 * @param reconnectMaxMillis the longest wait between two connection attempts
 */
public record MqttSettings(List<String> brokerUrls, String clientId, String username, char[] password,
        Optional<TrustStore> trustStore, String topicPrefix, int backlogMaxEvents, int keepAliveSeconds,
        long reconnectMaxMillis) {
    public static final String PID = "dev.colo.mqtt";
    public static final String BROKER_URLS = "broker.urls";
    public static final String CLIENT_ID = "client.id";
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String TRUSTSTORE_PATH = "tls.truststore.path";
    public static final String TRUSTSTORE_PASSWORD = "tls.truststore.password";
    public static final String TOPIC_PREFIX = "topic.prefix";
    public static final String BACKLOG_MAX_EVENTS = "backlog.max.events";
    public static final String KEEPALIVE_SECONDS = "keepalive.seconds";
    public static final String RECONNECT_MAX_MS = "reconnect.max.ms";
    public static final List<String> KEYS = List.of(BROKER_URLS, CLIENT_ID, USERNAME, PASSWORD, TRUSTSTORE_PATH,
            TRUSTSTORE_PASSWORD, TOPIC_PREFIX, BACKLOG_MAX_EVENTS, KEEPALIVE_SECONDS, RECONNECT_MAX_MS);

    static final String DEFAULT_TOPIC_PREFIX = "colo/v1";
    static final int DEFAULT_BACKLOG_MAX_EVENTS = 10_000;
    static final int DEFAULT_KEEPALIVE_SECONDS = 10;
    static final long DEFAULT_RECONNECT_MAX_MS = 5_000;
    /** MQTT 3.1.1 allows 23 characters for sure; brokers take more, Paho checks 65535. */
    private static final Pattern CLIENT_ID_TEXT = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern TOPIC_LEVELS = Pattern.compile("[^#+/\\s]+(/[^#+/\\s]+)*");

    /** A PKCS#12 trust store. */
    public record TrustStore(Path path, char[] password) {
    }

    public static MqttSettings parse(Map<String, ?> properties) {
        ConfigReader config = new ConfigReader(PID, properties);
        List<String> urls = brokerUrls(config);
        String clientId = config.optional(CLIENT_ID, "").trim();
        if (!clientId.isEmpty() && !CLIENT_ID_TEXT.matcher(clientId).matches()) {
            throw config.invalid(CLIENT_ID, clientId, "must be 1-64 of letters, digits, '.', '_', '-'");
        }
        String username = config.optional(USERNAME, "").trim();
        String password = config.optional(PASSWORD, "");
        if (!password.isEmpty() && username.isEmpty()) {
            throw config.invalid(PASSWORD, "(hidden)", "is set but " + USERNAME + " is empty");
        }
        Optional<TrustStore> trustStore = Optional.empty();
        String trustPath = config.optional(TRUSTSTORE_PATH, "").trim();
        if (!trustPath.isEmpty()) {
            trustStore = Optional.of(new TrustStore(config.absolutePath(TRUSTSTORE_PATH, trustPath),
                    config.optional(TRUSTSTORE_PASSWORD, "").toCharArray()));
        }
        String prefix = config.optional(TOPIC_PREFIX, DEFAULT_TOPIC_PREFIX).trim();
        if (!TOPIC_LEVELS.matcher(prefix).matches()) {
            throw config.invalid(TOPIC_PREFIX, prefix, "must be topic levels separated by '/', without wildcards, "
                    + "spaces or an empty level");
        }
        int backlog = config.intInRange(BACKLOG_MAX_EVENTS, DEFAULT_BACKLOG_MAX_EVENTS, 1, 1_000_000);
        int keepAlive = config.intInRange(KEEPALIVE_SECONDS, DEFAULT_KEEPALIVE_SECONDS, 1, 3600);
        long reconnectMax = config.longInRange(RECONNECT_MAX_MS, DEFAULT_RECONNECT_MAX_MS, 100, 600_000);
        return new MqttSettings(urls, clientId, username, password.toCharArray(), trustStore, prefix, backlog,
                keepAlive, reconnectMax);
    }

    public static List<String> unknownKeys(Map<String, ?> properties) {
        return new ConfigReader(PID, properties).unknownKeys(KEYS);
    }

    /** Whether a broker is configured at all. */
    public boolean enabled() {
        return !brokerUrls.isEmpty();
    }

    /** Whether any broker is reached over TLS. */
    public boolean tls() {
        return brokerUrls.stream().anyMatch(url -> url.startsWith("ssl://"));
    }

    /** The plaintext brokers that are not on this host: their traffic can be read and forged on the way. */
    public List<String> plaintextRemoteBrokers() {
        return brokerUrls.stream().filter(url -> url.startsWith("tcp://"))
                .filter(url -> !isLoopback(URI.create(url).getHost())).toList();
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    private static List<String> brokerUrls(ConfigReader config) {
        String raw = config.optional(BROKER_URLS, "").trim();
        List<String> urls = new ArrayList<>();
        for (String url : Arrays.stream(raw.split(",")).map(String::trim).filter(u -> !u.isEmpty()).toList()) {
            try {
                URI uri = new URI(url);
                String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
                if (!scheme.equals("tcp") && !scheme.equals("ssl")) {
                    throw config.invalid(BROKER_URLS, url, "must start with tcp:// or ssl://");
                }
                if (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65_535
                        || (uri.getPath() != null && !uri.getPath().isEmpty())) {
                    throw config.invalid(BROKER_URLS, url, "must be " + scheme + "://host:port (port 1-65535, no path)");
                }
                urls.add(scheme + "://" + uri.getHost() + ":" + uri.getPort());
            } catch (URISyntaxException e) {
                throw config.invalid(BROKER_URLS, url, "not a URL: " + e.getReason());
            }
        }
        return List.copyOf(urls);
    }
}
