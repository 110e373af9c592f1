package dev.batchwise.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code batchwise} command-line tool. */
@Command(name = "batchwise", mixinStandardHelpOptions = true, version = "batchwise 0.1.0-SNAPSHOT",
        description = "Batched GPU/CPU targets, matching and losses for perception-model training.",
        subcommands = {CommandLine.HelpCommand.class, DemoCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Runs the CLI and exits with its status. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
