// The closing line of `pnpm test` (scripts/run-tests.mjs), from jest's `--json` report.

/**
 * Suites that failed without a failing test: they could not load (a missing file, a syntax error)
 * or threw outside any test. Jest counts them in `numRuntimeErrorTestSuites`; a suite whose result
 * carries `testExecError`, or a failure message with no tests, is one too.
 */
export function countSuitesThatFailedToRun(report) {
  const fromResults = (report.testResults ?? []).filter(
    suite =>
      suite.testExecError != null ||
      (suite.status === 'failed' &&
        (suite.assertionResults ?? []).length === 0 &&
        Boolean(suite.message || suite.failureMessage)),
  ).length;
  return Math.max(report.numRuntimeErrorTestSuites ?? 0, fromResults);
}

/** `N passed, N failed, N skipped`, where failed includes every suite that failed to run. */
export function summarize(report) {
  const brokenSuites = countSuitesThatFailedToRun(report);
  const failed = report.numFailedTests + brokenSuites;
  const skipped = report.numPendingTests + report.numTodoTests;
  const detail =
    brokenSuites > 0
      ? ` (${brokenSuites} test suite${brokenSuites === 1 ? '' : 's'} failed to run)`
      : '';
  return `${report.numPassedTests} passed, ${failed} failed, ${skipped} skipped${detail}`;
}
