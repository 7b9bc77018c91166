package dev.colo.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** {@code bin/colo}: the appliance's command line. Exit codes: 0 ok, 1 failed, 2 bad arguments. */
public final class Colo {
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private static final List<Command> COMMANDS = List.of(
            new CertsCommand(), new CredentialsCommand(), new PairUpCommand(), new PairDownCommand(), new PairRestartCommand(),
            new PairStopCommand(), new ReprotectCommand(), new DemoCommand(), new StatusCommand(), new JconsoleCommand(),
            new ConsoleCommand(), OperationCommand.checkpoint(), OperationCommand.failover(), OperationCommand.switchover(),
            OperationCommand.resolve());

    private Colo() {
    }

    public static void main(String[] argv) {
        int code = run(Arrays.asList(argv), System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    static int run(List<String> argv, PrintStream out, PrintStream err) {
        if (argv.isEmpty() || List.of("help", "--help", "-h").contains(argv.get(0))) {
            (argv.isEmpty() ? err : out).print(usage());
            return argv.isEmpty() ? EXIT_USAGE : 0;
        }
        Command command;
        int consumed;
        try {
            command = find(argv);
            consumed = command.name().split(" ").length;
        } catch (UsageException e) {
            err.println("colo: " + e.getMessage());
            err.print(usage());
            return EXIT_USAGE;
        }
        try {
            return command.run(parse(command, argv.subList(consumed, argv.size())), out);
        } catch (UsageException e) {
            err.println("colo " + command.name() + ": " + e.getMessage());
            err.println("usage: colo " + command.usage());
            return EXIT_USAGE;
        } catch (CliException e) {
            out.flush();
            err.println("colo " + command.name() + ": " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    /** The words after the command's name, as the command takes them. */
    static Args parse(Command command, List<String> words) throws UsageException {
        return command.takesCommandLine()
                ? Args.parseWithCommandLine(words, command.valueOptions(), command.flagOptions())
                : Args.parse(words, command.valueOptions(), command.flagOptions(), 0);
    }

    static Command find(List<String> argv) throws UsageException {
        for (Command command : COMMANDS) {
            List<String> words = List.of(command.name().split(" "));
            if (argv.size() >= words.size() && argv.subList(0, words.size()).equals(words)) {
                return command;
            }
        }
        if (argv.get(0).equals("pair")) {
            throw new UsageException(argv.size() == 1 ? "pair needs up, down, restart or stop" : "unknown pair command '" + argv.get(1) + "'");
        }
        throw new UsageException("unknown command '" + argv.get(0) + "'");
    }

    static String usage() {
        StringBuilder sb = new StringBuilder("usage: colo COMMAND [OPTIONS]\n\n");
        for (Command command : COMMANDS) {
            sb.append("  colo ").append(command.usage().replace("\n", "\n  ")).append("\n\n");
        }
        sb.append("  colo help\n");
        return sb.toString();
    }
}
