/**
 * NBD client: connects to an export of an NBD server ({@code nbd://host:port/export}), negotiates the
 * fixed newstyle handshake (optional STARTTLS, structured replies, NBD_OPT_GO with a fallback to
 * NBD_OPT_EXPORT_NAME) and pipelines asynchronous READ, WRITE, FLUSH, TRIM and WRITE_ZEROES requests.
 * Each connection follows the explicit state table of {@link dev.colo.nbd.client.ClientState}, where a
 * lost connection ({@code DEAD}) is distinct from an orderly close ({@code CLOSED}). Wire constants and
 * message records come from {@code dev.colo.nbd.protocol}.
 */
@Export
@Version("1.0.0")
package dev.colo.nbd.client;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
