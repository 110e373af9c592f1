package dev.batchwise.cli;

import dev.batchwise.cli.bench.BenchHarness;
import dev.batchwise.cli.bench.BenchReport;
import dev.batchwise.cli.bench.BenchResult;
import dev.batchwise.cli.bench.BenchSettings;
import dev.batchwise.cli.bench.ResultTable;
import dev.batchwise.cli.bench.RunClocks;
import dev.batchwise.cli.bench.Workload;
import dev.batchwise.cli.bench.Workloads;
import dev.batchwise.cli.machine.MachineInfo;
import dev.batchwise.tensor.Device;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code batchwise bench}: times the registered workloads ({@link Workloads#all()}) on the CPU
 * and/or CUDA and prints a table (and optionally the JSON of DESIGN §7). Exit status 0 when every
 * case ran, 1 when any failed (the failures are in the table and the JSON).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Times the benchmark workloads against their baselines.")
public final class BenchCommand implements Callable<Integer> {
    /** Which devices to time on. */
    public enum DeviceChoice {
        /** The CPU only. */
        cpu,
        /** CUDA device 0 only. */
        cuda,
        /** The CPU, and CUDA device 0 when it is usable. */
        all
    }

    @Spec
    private CommandSpec spec;

    @Option(names = "--filter", paramLabel = "REGEX",
            description = "Only workloads whose id contains a match, e.g. 'W2' or '^T0'.")
    private Pattern filter;

    @Option(names = "--device", paramLabel = "cpu|cuda|all", defaultValue = "all",
            description = "Devices to time on (default: ${DEFAULT-VALUE}).")
    private DeviceChoice device;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    private Path json;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "20",
            description = "Timed runs per case; the median is reported (default: ${DEFAULT-VALUE}).")
    private int runs;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "5",
            description = "Untimed warm-up runs per case (default: ${DEFAULT-VALUE}).")
    private int warmup;

    @Option(names = "--warmup-ms", paramLabel = "MS", defaultValue = "2000",
            description = "Warm-up also lasts at least this long, so the JIT has compiled microsecond-scale "
                    + "operations before timing (default: ${DEFAULT-VALUE}).")
    private long warmupMillis;

    @Option(names = "--min-time-ms", paramLabel = "MS", defaultValue = "200",
            description = "Timed runs go on past --runs until this much time has passed, at most 2000 runs "
                    + "(default: ${DEFAULT-VALUE}).")
    private long minTimedMillis;

    @Option(names = "--list", description = "List the workloads and exit.")
    private boolean list;

    /** Runs the bench. */
    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BenchSettings settings = settings();
        List<Workload> workloads = Workloads.all();
        if (list) {
            for (Workload w : workloads) {
                out.printf("%-14s %s%n", w.id(), w.description());
            }
            out.flush();
            return 0;
        }
        List<String> notes = new ArrayList<>();
        List<Device> devices = devices(notes);
        for (String n : notes) {
            err.println("bench: note: " + n);
        }
        MachineInfo machine = MachineInfo.collect();
        List<BenchResult> results = new BenchHarness(settings, RunClocks::forDevice, err).run(workloads, devices);
        err.flush();
        out.print(ResultTable.format(machine, results, notes));
        out.flush();
        if (json != null && !writeJson(BenchReport.toJson(machine, results, notes), err)) {
            return 1;
        }
        return results.stream().allMatch(BenchResult::ok) ? 0 : 1;
    }

    private BenchSettings settings() {
        if (runs < 1) {
            throw new ParameterException(spec.commandLine(), "--runs must be at least 1, got " + runs);
        }
        if (warmup < 0) {
            throw new ParameterException(spec.commandLine(), "--warmup must be at least 0, got " + warmup);
        }
        if (warmupMillis < 0 || minTimedMillis < 0) {
            throw new ParameterException(spec.commandLine(), "--warmup-ms and --min-time-ms must be at least 0");
        }
        return new BenchSettings(warmup, runs, filter, warmupMillis, minTimedMillis);
    }

    /** The devices to time on; a note explains a requested but unusable GPU. */
    private List<Device> devices(List<String> notes) {
        List<Device> out = new ArrayList<>();
        if (device != DeviceChoice.cuda) {
            out.add(Device.CPU);
        }
        if (device != DeviceChoice.cpu) {
            if (Device.cudaAvailable()) {
                out.add(Device.cuda(0));
            } else {
                notes.add("CUDA requested but unavailable (" + Device.cudaUnavailableReason() + ")"
                        + (out.isEmpty() ? "; nothing to time" : "; timing the CPU only"));
            }
        }
        return out;
    }

    private boolean writeJson(String text, PrintWriter err) {
        try {
            Path parent = json.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(json, text);
            err.println("bench: wrote " + json);
            return true;
        } catch (IOException e) {
            err.println("bench: cannot write " + json + ": " + e);
            return false;
        } finally {
            err.flush();
        }
    }
}
