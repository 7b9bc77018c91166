/**
 * The event model. Every state change anywhere in the appliance is posted as an OSGi event (EventAdmin)
 * on a topic under {@value dev.colo.api.event.ColoTopics#PREFIX}, with typed properties: the
 * {@linkplain EventProperties#NODE node}, its {@linkplain EventProperties#ROLE role}, the
 * {@linkplain EventProperties#EPOCH epoch} where one applies, and a {@linkplain EventProperties#TIMESTAMP
 * timestamp}. Producers build a {@link dev.colo.api.event.ColoEvent} record and post
 * {@link dev.colo.api.event.ColoEvent#toEvent()}; listeners (JMX, MQTT) subscribe to
 * {@value dev.colo.api.event.ColoTopics#ALL} and turn events back into records with
 * {@link dev.colo.api.event.ColoEvents#from(org.osgi.service.event.Event)}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.colo.api.event;
