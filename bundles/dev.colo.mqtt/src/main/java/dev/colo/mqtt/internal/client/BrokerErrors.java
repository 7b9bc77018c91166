package dev.colo.mqtt.internal.client;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.util.List;
import javax.net.ssl.SSLException;
import org.eclipse.paho.client.mqttv3.MqttException;

/** A failure to reach or use the broker, in words an operator can act on. */
final class BrokerErrors {
    private BrokerErrors() {
    }

    static String describe(Exception error, List<String> brokers, String trustDescription) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (hasCause(error, CertPathBuilderException.class) || hasCause(error, CertificateException.class)) {
            return "the broker's certificate is not trusted: no CA in " + trustDescription + " signed it, or it does "
                    + "not name the host (" + brokers + ": " + root.getMessage() + ")";
        }
        if (hasCause(error, SSLException.class)) {
            return "TLS with " + brokers + " failed: " + root.getMessage();
        }
        if (error instanceof MqttException mqtt) {
            return switch (mqtt.getReasonCode()) {
                case MqttException.REASON_CODE_FAILED_AUTHENTICATION, MqttException.REASON_CODE_NOT_AUTHORIZED ->
                        "the broker " + brokers + " refused the login (username/password): " + mqtt.getMessage();
                case MqttException.REASON_CODE_SERVER_CONNECT_ERROR -> "no broker of " + brokers + " answers ("
                        + (root == error ? mqtt.getMessage() : root.toString()) + ")";
                default -> "MQTT with " + brokers + ": " + mqtt.getMessage()
                        + (root == error ? "" : " (" + root + ")");
            };
        }
        return "MQTT with " + brokers + ": " + error;
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }
}
