package dev.batchwise.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code batchwise} command-line tool. Each subcommand is its own class, registered in the
 * {@code subcommands} list below.
 */
@Command(name = "batchwise", mixinStandardHelpOptions = true, version = "batchwise 0.1.0-SNAPSHOT",
        description = "Batched GPU/CPU targets, matching and losses for perception-model training.",
        subcommands = {
            InfoCommand.class,
            BenchCommand.class,
            DemoCommand.class,
            AssignCommand.class,
            RenderCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: prints the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The configured command line (enum values case-insensitive), for {@link #main} and tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    /** Runs the CLI and exits with its status. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
