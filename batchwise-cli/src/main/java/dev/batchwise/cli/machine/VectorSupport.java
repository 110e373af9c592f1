package dev.batchwise.cli.machine;

import jdk.incubator.vector.FloatVector;

/**
 * Whether the Vector API ({@code jdk.incubator.vector}) is usable in this JVM and which float
 * species it prefers. Checks the boot layer before touching any vector class, so a JVM started
 * without {@code --add-modules=jdk.incubator.vector} gets an explanation instead of an error.
 */
public final class VectorSupport {
    private static final String MODULE = "jdk.incubator.vector";

    private VectorSupport() {}

    /** True when the incubator module is resolved in this JVM. */
    public static boolean available() {
        return ModuleLayer.boot().findModule(MODULE).isPresent();
    }

    /** {@code FloatVector.SPECIES_PREFERRED} as text, e.g. "Species[float, 16, S_512_BIT]", or {@code null}. */
    public static String preferredFloatSpecies() {
        return available() ? Species.preferred() : null;
    }

    /** Why the Vector API is unusable, or {@code null} when it is usable. */
    public static String unavailableReason() {
        return available() ? null
                : "module " + MODULE + " is not resolved (start the JVM with --add-modules=" + MODULE + ")";
    }

    /** Loaded only once the module is known to be present. */
    private static final class Species {
        static String preferred() {
            return FloatVector.SPECIES_PREFERRED.toString();
        }
    }
}
