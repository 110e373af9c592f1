package dev.batchwise.assign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.tensor.Device;
import org.junit.jupiter.api.function.Executable;

/**
 * Checks the exception a bad problem raises, the same on every device (on CUDA it comes from the
 * device error flag when a result is read).
 */
final class ProblemErrors {
    private ProblemErrors() {}

    static void assertProblemError(Device device, AssignmentStatus status, int problem, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        String where = device + ": " + e;
        assertEquals(status == AssignmentStatus.INFEASIBLE, e instanceof InfeasibleAssignmentException, where);
        assertTrue(e.getMessage().startsWith("assignment problem " + problem + " ("), where);
        assertTrue(e.getMessage().contains(status == AssignmentStatus.INFEASIBLE ? "is infeasible" : "invalid costs"),
                where);
        if (e instanceof InfeasibleAssignmentException inf) {
            assertEquals(problem, inf.problem(), where);
        }
    }
}
