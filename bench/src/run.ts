// `npm run bench -- [--scenario S2,S3] [--quick] [--subject stock] [--server-entry <file>]`
// Runs the chosen scenarios, prints the results table and writes bench/results/ + RESULTS.md.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type EditingTrace, loadTrace } from './lib/b4-trace';
import { buildFullHistoryUpdate } from './lib/full-history';
import type { MetricResult } from './lib/metrics';
import {
  describeMachine,
  type RunReport,
  renderMarkdownTable,
  type ScenarioOutcome,
  writeReport,
} from './lib/report';
import type { Scenario, ScenarioContext } from './lib/scenario';
import { SCENARIOS } from './scenarios/registry';

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(benchDir, '..');

const { values } = parseArgs({
  options: {
    scenario: { type: 'string' },
    quick: { type: 'boolean', default: false },
    subject: { type: 'string', default: 'studios' },
    // Another composition root (e.g. one wiring a feature main.ts does not register yet).
    'server-entry': { type: 'string', default: 'apps/server/src/main.ts' },
  },
});
const subject = values.subject === 'stock' ? 'stock' : 'studios';
const wanted = values.scenario?.split(',').map((id) => id.trim().toUpperCase());
const chosen: readonly Scenario[] = wanted
  ? SCENARIOS.filter((scenario) => wanted.includes(scenario.id))
  : SCENARIOS;
if (wanted && chosen.length !== wanted.length) {
  const known = SCENARIOS.map((scenario) => scenario.id).join(', ');
  throw new Error(`Unknown scenario in "${values.scenario}"; known: ${known}`);
}

// Every y-websocket provider registers a process 'exit' listener; 50+ clients are the point here.
process.setMaxListeners(0);

let tracePromise: Promise<EditingTrace> | undefined;
let historyPromise: Promise<Uint8Array> | undefined;
const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

const startedAt = new Date().toISOString();
const outcomes: ScenarioOutcome[] = [];
const results: MetricResult[] = [];
for (const scenario of chosen) {
  const notes: string[] = [];
  const context: ScenarioContext = {
    studios: { repoRoot, entry: values['server-entry'] },
    benchDir,
    quick: values.quick,
    subject,
    log,
    note: (message) => notes.push(message),
    trace: () => {
      tracePromise ??= loadTrace();
      return tracePromise;
    },
    fullHistoryUpdate: () => {
      historyPromise ??= context.trace().then((trace) => {
        log('replaying B4 into one Y.Doc for the full-history seed…');
        return buildFullHistoryUpdate(trace);
      });
      return historyPromise;
    },
  };
  const started = performance.now();
  const outcome: ScenarioOutcome = {
    id: scenario.id,
    title: scenario.title,
    status: 'ran',
    notes,
    durationMs: 0,
  };
  try {
    const reason = await scenario.unavailable(context);
    if (reason) {
      outcome.status = 'skipped';
      outcome.reason = reason;
      log(`${scenario.id} skipped: ${reason}`);
    } else {
      log(`${scenario.id} ${scenario.title}`);
      results.push(...(await scenario.run(context)));
    }
  } catch (error) {
    outcome.status = 'failed';
    outcome.reason =
      error instanceof Error ? error.message.split('\n').slice(0, 8).join(' | ') : String(error);
    log(`${scenario.id} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  outcome.durationMs = performance.now() - started;
  outcomes.push(outcome);
}

const report: RunReport = {
  startedAt,
  finishedAt: new Date().toISOString(),
  commandLine: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(
    ' ',
  ),
  quick: values.quick,
  machine: describeMachine(),
  scenarios: outcomes,
  results,
};
process.stdout.write(`\n${renderMarkdownTable(results)}\n\n`);
for (const outcome of outcomes) {
  process.stdout.write(`${outcome.id}: ${outcome.status}${outcome.reason ? ` — ${outcome.reason}` : ''}\n`);
}
const written = await writeReport(benchDir, report);
process.stdout.write(`\nWrote ${written.map((file) => path.relative(repoRoot, file)).join(', ')}\n`);
// Providers' reconnect timers and child pipes must not keep a finished run alive.
process.exit(outcomes.some((outcome) => outcome.status === 'failed') ? 1 : 0);
