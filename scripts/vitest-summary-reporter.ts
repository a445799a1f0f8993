import { appendFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Appends one line of counts per vitest run to $STUDIOS_TEST_SUMMARY, so scripts/test.sh can
 * print a single "N passed, N failed" line for the whole suite (all packages and e2e).
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const file = process.env.STUDIOS_TEST_SUMMARY;
    if (!file) return;
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (module.state() === 'failed' && module.children.size === 0) failed++;
    }
    appendFileSync(file, `${process.cwd()} ${passed} ${failed} ${skipped}\n`);
  }
}
