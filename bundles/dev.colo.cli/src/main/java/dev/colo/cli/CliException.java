package dev.colo.cli;

/** A command could not do its work (file missing, node not answering ...): printed as one line, exit 1. */
final class CliException extends Exception {
    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
