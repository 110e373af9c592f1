package dev.batchwise.cli;

import dev.batchwise.cli.bench.BenchHarness;
import dev.batchwise.cli.bench.BenchResult;
import dev.batchwise.cli.bench.BenchSettings;
import dev.batchwise.cli.bench.ResultTable;
import dev.batchwise.cli.bench.RunClocks;
import dev.batchwise.cli.bench.Workloads;
import dev.batchwise.cli.machine.MachineInfo;
import dev.batchwise.tensor.DType;
import dev.batchwise.tensor.Device;
import dev.batchwise.tensor.Scope;
import dev.batchwise.tensor.Tensor;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code batchwise demo}: until the W1 loss step lands, a tensor round trip on
 * {@link Device#best()} and a quick bench of the foundation workloads ({@code T0-…}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Shows batchwise at work on the best device.")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    /** Runs the demo; exit 1 when the round trip or a bench case fails. */
    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Device best = Device.best();
        out.println("demo: the W1 loss step has not landed yet; showing a tensor round trip on " + best
                + " and a quick bench of the foundation workloads.");
        boolean roundTrip = roundTrip(best, out);
        List<Device> devices = best.isCpu() ? List.of(Device.CPU) : List.of(Device.CPU, best);
        BenchSettings quick = new BenchSettings(2, 5, Pattern.compile("^T0"));
        List<BenchResult> results = new BenchHarness(quick, RunClocks::forDevice, spec.commandLine().getErr())
                .run(Workloads.all(), devices);
        out.print(ResultTable.format(MachineInfo.collect(), results, List.of()));
        out.flush();
        return roundTrip && results.stream().allMatch(BenchResult::ok) ? 0 : 1;
    }

    /** CPU → device → float64 → CPU, and checks that the values came back unchanged. */
    private static boolean roundTrip(Device device, PrintWriter out) {
        float[] values = {1.5f, -2f, 3.25f, 0f, 1e-3f, 42f};
        try (Scope scope = Scope.open()) {
            Tensor x = Tensor.of(values, 2, 3);
            double[] back = x.to(device).to(DType.FLOAT64).toDoubleArray();
            double[] expected = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                expected[i] = values[i];
            }
            boolean ok = Arrays.equals(back, expected);
            out.println("round trip cpu -> " + device + " -> float64 -> cpu: " + Arrays.toString(back)
                    + (ok ? " (unchanged)" : " (MISMATCH, expected " + Arrays.toString(expected) + ")"));
            return ok;
        } catch (RuntimeException e) {
            out.println("round trip on " + device + " failed: " + e);
            return false;
        }
    }
}
