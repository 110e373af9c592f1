package dev.batchwise.cli;

import dev.batchwise.cli.machine.GpuInfo;
import dev.batchwise.cli.machine.MachineInfo;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code batchwise info}: the JDK, CPU cores, heap, Vector API and CUDA driver and GPUs (or why no
 * GPU is usable).
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Shows the JDK, CPU, Vector API support, CUDA driver and GPUs.")
public final class InfoCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** Prints the machine description; always succeeds (exit 0). */
    @Override
    public Integer call() {
        print(MachineInfo.collect(), spec.commandLine().getOut());
        return 0;
    }

    /** Writes {@code m} as labelled lines. */
    static void print(MachineInfo m, PrintWriter out) {
        line(out, "JDK", m.jdkVersion() + " (" + m.jdkVendor() + ", " + m.vmName() + ")");
        line(out, "OS", m.os());
        line(out, "CPU", m.cpuModel());
        line(out, "Cores", Integer.toString(m.cores()));
        line(out, "Max heap", String.format(Locale.ROOT, "%.1f GiB", m.maxHeapBytes() / (double) (1L << 30)));
        line(out, "Vector API", m.vectorSpecies() != null
                ? "available, FloatVector.SPECIES_PREFERRED = " + m.vectorSpecies()
                : "unavailable: " + m.vectorUnavailableReason());
        String driver = m.cuda().driverVersion();
        line(out, "CUDA driver", driver != null ? driver : "-");
        if (m.cuda().usable()) {
            for (GpuInfo g : m.cuda().gpus()) {
                line(out, "GPU " + g.index(), g.describe());
            }
        } else {
            line(out, "GPU", "none usable: " + m.cuda().unavailableReason());
        }
        out.flush();
    }

    private static void line(PrintWriter out, String label, String value) {
        out.printf(Locale.ROOT, "%-12s %s%n", label + ":", value);
    }
}
