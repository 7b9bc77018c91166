package dev.colo.cli;

import java.io.PrintStream;
import java.util.Set;

/** One subcommand of {@code bin/colo}. */
interface Command {
    /** Name as typed after {@code colo}, e.g. {@code certs} or {@code pair up}. */
    String name();

    /** Usage text, starting with the command line without the leading {@code colo}. */
    String usage();

    /** Options that take a value, without {@code --}. */
    Set<String> valueOptions();

    /** Options without a value, without {@code --}. */
    default Set<String> flagOptions() {
        return Set.of();
    }

    /**
     * Whether the words after the options are a command line for another program, passed on as they are (options
     * of that program included); false: the command takes options only.
     */
    default boolean takesCommandLine() {
        return false;
    }

    /** Runs the command on parsed arguments; returns the process exit code. */
    int run(Args args, PrintStream out) throws UsageException, CliException;
}
