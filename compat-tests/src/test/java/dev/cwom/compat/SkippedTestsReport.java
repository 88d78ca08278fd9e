package dev.cwom.compat;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Says in the build output which container tests were skipped and why ("Docker is not available"), next to
 * Surefire's skipped count: a suite that silently proves nothing should not look like one that passed.
 */
public final class SkippedTestsReport implements TestExecutionListener {

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        System.out.println("[compat-tests] SKIPPED " + test.getLegacyReportingName() + ": " + reason);
    }
}
