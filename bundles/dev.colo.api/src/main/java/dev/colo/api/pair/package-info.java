/**
 * The pair configuration (PID {@code dev.colo.pair}) as validated, typed settings. The pair bundle parses
 * and validates the configuration once and registers a {@link dev.colo.api.pair.PairConfiguration}
 * service only when every key is valid; every other bundle reads its settings from there.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.colo.api.pair;
