package dev.batchwise.cli.machine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The CPU's model name, read from {@code /proc/cpuinfo} on Linux. */
final class CpuModel {
    private CpuModel() {}

    /** The first "model name" of {@code cpuinfo}, or the architecture when there is none. */
    static String read(Path cpuinfo) {
        try {
            String found = fromLines(Files.readAllLines(cpuinfo));
            if (found != null) {
                return found;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or not readable: fall back to the architecture below
        }
        return System.getProperty("os.arch") + " (model unknown)";
    }

    /** The value of the first {@code model name : …} line, or {@code null}. */
    static String fromLines(List<String> lines) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals("model name")) {
                String v = line.substring(colon + 1).trim().replaceAll("\\s+", " ");
                if (!v.isEmpty()) {
                    return v;
                }
            }
        }
        return null;
    }
}
