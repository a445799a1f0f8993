// The bench workspace is run, not imported; these exports exist for its tests and for anyone
// reusing the method (paired rounds, ratios, report) in another benchmark.
export { type AlternationOptions, type AlternationResult, alternate, type Contender } from './lib/alternate';
export { applyPatch, type EditingTrace, loadTrace, parseTrace, type TracePatch } from './lib/b4-trace';
export {
  compareRounds,
  type Goal,
  type MetricResult,
  type MetricSpec,
  standaloneMetric,
} from './lib/metrics';
export { type RunReport, renderMarkdownReport, renderMarkdownTable, writeReport } from './lib/report';
export type { Scenario, ScenarioContext } from './lib/scenario';
export { type Distribution, distribution, median, pairedRatios, type RatioSummary } from './lib/stats';
export { SCENARIOS } from './scenarios/registry';
