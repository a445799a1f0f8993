import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MetricResult } from './metrics';
import { mergeSections, padTable, parseResults, type ResultsSections, renderResults } from './results-merge';

/** What happened to one scenario in a run. */
export interface ScenarioOutcome {
  id: string;
  title: string;
  status: 'ran' | 'skipped' | 'failed';
  /** Why it was skipped or how it failed. */
  reason?: string;
  /** Method notes worth keeping beside the numbers (op counts, rates, caveats). */
  notes: string[];
  durationMs: number;
}

/** Everything one `npm run bench` produced; written verbatim as JSON. */
export interface RunReport {
  startedAt: string;
  finishedAt: string;
  commandLine: string;
  quick: boolean;
  machine: { cpus: number; model: string; memoryGb: number; node: string; platform: string };
  scenarios: ScenarioOutcome[];
  results: MetricResult[];
}

/** The machine facts printed with every result: absolute times only mean something beside them. */
export function describeMachine(): RunReport['machine'] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

const TABLE_HEADER = [
  'Scenario',
  'Case',
  'Metric',
  'Studios (median)',
  'Peer (median)',
  'Ratio median [min–max]',
  'Goal',
  'Verdict',
];

const METHOD = [
  'Method (docs/performance.md): Studios and its peer run in the same process tree and the same run,',
  'alternating A, B, A, B after a warm-up; ratio = Studios / peer per pair of rounds, reported as',
  'median [min–max]. Latencies are measured on one monotonic clock in the bench process.',
].join('\n');

/**
 * The results table in Markdown, one line per figure, with the ratio as median [min–max].
 * Columns are padded the way Biome formats Markdown, so the committed RESULTS.md stays lint-clean.
 */
export function renderMarkdownTable(results: readonly MetricResult[]): string {
  const rows = results.map((result) => {
    const ratio = result.ratio
      ? `${formatRatio(result.ratio.median)} [${formatRatio(result.ratio.min)}–${formatRatio(result.ratio.max)}]`
      : '—';
    const peer = result.peer
      ? `${formatNumber(result.peer.median)} ${result.unit} (${result.peer.name})`
      : '—';
    return [
      result.scenario,
      result.variant,
      result.metric,
      `${formatNumber(result.subject.median)} ${result.unit}`,
      peer,
      ratio,
      result.goal?.text ?? '—',
      verdictMark(result.verdict),
    ].map(cell);
  });
  return padTable(TABLE_HEADER, rows);
}

/** The whole report as Markdown: machine, command line, table, and per-scenario notes. */
export function renderMarkdownReport(report: RunReport): string {
  const machine = report.machine;
  const sections = [
    `# Studios benchmark results`,
    '',
    `Run ${report.startedAt} → ${report.finishedAt}${report.quick ? ' (quick smoke run: fewer rounds and smaller loads)' : ''}.`,
    `Command: \`${report.commandLine}\``,
    `Machine: ${machine.cpus} × ${machine.model}, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.platform}.`,
    '',
    METHOD,
    '',
    renderMarkdownTable(report.results),
    '',
    '## Scenarios',
    '',
  ];
  for (const scenario of report.scenarios) {
    const duration = `${(scenario.durationMs / 1000).toFixed(1)} s`;
    const reason = scenario.reason ? `: ${scenario.reason}` : '';
    sections.push(`- **${scenario.id}** ${scenario.title} — ${scenario.status} (${duration})${reason}`);
    for (const note of scenario.notes) sections.push(`  - ${note}`);
  }
  return `${sections.join('\n')}\n`;
}

/**
 * Writes `results/<timestamp>.json` and `results/latest.md` (both gitignored) and the committed
 * `RESULTS.md` summary. Returns the paths written.
 */
export async function writeReport(benchDir: string, report: RunReport): Promise<string[]> {
  const resultsDir = path.join(benchDir, 'results');
  await mkdir(resultsDir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const jsonPath = path.join(resultsDir, `${stamp}.json`);
  const latestPath = path.join(resultsDir, 'latest.md');
  const committedPath = path.join(benchDir, 'RESULTS.md');
  const markdown = renderMarkdownReport(report);
  await writeFile(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(latestPath, markdown);
  const committed = await readFile(committedPath, 'utf8').catch(() => '');
  await writeFile(
    committedPath,
    renderResults(mergeSections(parseResults(committed), runSections(report)), TABLE_HEADER, METHOD),
  );
  return [jsonPath, latestPath, committedPath];
}

/** This run's part of RESULTS.md: only the scenarios it measured (a failed one keeps its old rows). */
export function runSections(report: RunReport): ResultsSections {
  const sections: ResultsSections = { runs: new Map(), rows: new Map(), notes: new Map() };
  const { machine } = report;
  const run =
    `${report.startedAt} → ${report.finishedAt}${report.quick ? ' (quick smoke run: fewer rounds and smaller loads)' : ''}, ` +
    `\`${report.commandLine}\`, ${machine.cpus} × ${machine.model}, ${machine.memoryGb} GB, Node ${machine.node}, ${machine.platform}.`;
  for (const scenario of report.scenarios) {
    if (scenario.status !== 'ran') continue;
    sections.runs.set(scenario.id, run);
    const table = renderMarkdownTable(report.results.filter((result) => result.scenario === scenario.id));
    sections.rows.set(scenario.id, table.split('\n').slice(2));
    const duration = `${(scenario.durationMs / 1000).toFixed(1)} s`;
    sections.notes.set(scenario.id, [
      `- **${scenario.id}** ${scenario.title} — ${scenario.status} (${duration})`,
      ...scenario.notes.map((note) => `  - ${note}`),
    ]);
  }
  return sections;
}

/** Table cells must not contain the column separator. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'n/a';
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

function formatRatio(value: number): string {
  return Number.isNaN(value) ? 'n/a' : `${value.toFixed(2)}×`;
}

function verdictMark(verdict: MetricResult['verdict']): string {
  if (verdict === 'pass') return 'pass';
  if (verdict === 'fail') return '**FAIL**';
  return 'info';
}
