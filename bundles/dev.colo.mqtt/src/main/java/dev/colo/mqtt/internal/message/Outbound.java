package dev.colo.mqtt.internal.message;

/**
 * One MQTT message ready to publish at QoS 1.
 *
 * @param topic    the full topic
 * @param payload  the envelope as JSON (empty: a retained snapshot removed)
 * @param retained whether the broker keeps it for later subscribers
 * @param sequence its envelope's sequence number (0 for a removal)
 */
public record Outbound(String topic, byte[] payload, boolean retained, long sequence) {
}
