package dev.batchwise.assign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchwise.tensor.Device;
import org.junit.jupiter.api.function.Executable;

/** Checks the exception a bad problem raises: exact types on the CPU, the error-flag form on CUDA. */
final class ProblemErrors {
    private ProblemErrors() {}

    static void assertProblemError(Device device, AssignmentStatus status, int problem, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        if (device.isCpu()) {
            assertEquals(status == AssignmentStatus.INFEASIBLE, e instanceof InfeasibleAssignmentException, e::toString);
            assertTrue(e.getMessage().contains("problem " + problem + " "), e::getMessage);
            if (e instanceof InfeasibleAssignmentException inf) {
                assertEquals(problem, inf.problem());
            }
        } else {
            assertTrue(e.getMessage().startsWith("LinearAssignment"), e::getMessage);
            assertTrue(e.getMessage().contains("sample " + problem + " "), e::getMessage);
            assertTrue(e.getMessage().contains("(details " + status.code() + ", 0)"), e::getMessage);
        }
    }
}
