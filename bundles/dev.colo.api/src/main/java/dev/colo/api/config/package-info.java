/**
 * Typed reading of raw configuration values (Strings from a {@code .cfg} file, or typed values through
 * ConfigAdmin) for the components' settings records: every refusal is an
 * {@link dev.colo.api.config.InvalidConfigurationException} that names the PID, the key and the value as
 * the operator wrote it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.colo.api.config;
