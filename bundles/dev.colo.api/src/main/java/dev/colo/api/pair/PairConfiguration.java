package dev.colo.api.pair;

import org.osgi.annotation.versioning.ProviderType;

/** Registered by the pair bundle while the pair configuration is valid; absent otherwise. */
@ProviderType
public interface PairConfiguration {
    /** Configuration PID of the pair configuration. */
    String PID = "dev.colo.pair";

    PairSettings settings();
}
