package dev.batchwise.detr;

/**
 * Receives the end of each stage of a W1 step, in order {@code "costs"}, {@code "matching"},
 * {@code "losses"} (3D and 2D matched and focal losses with gradients), {@code "heatmaps"}
 * (centerness targets and their Gaussian focal loss). A profiler records a timestamp or a CUDA
 * event on the current stream; nothing is synchronised by the step. On the CPU the step solves each
 * assignment problem right after computing its costs, so {@code "costs"} ends after the matching
 * too and {@code "matching"} holds only the assembly of the pairs.
 */
@FunctionalInterface
public interface W1Stages {
    /** Stage names in execution order. */
    String[] NAMES = {"costs", "matching", "losses", "heatmaps"};

    /** Called right after the work of {@code stage} has been issued. */
    void stageDone(String stage);

    /** Ignores every stage. */
    W1Stages NONE = stage -> { };
}
