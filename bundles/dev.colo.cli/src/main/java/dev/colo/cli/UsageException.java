package dev.colo.cli;

/** Bad command-line arguments: the message names what was wrong; the command's usage is printed after it. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
