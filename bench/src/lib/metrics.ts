import type { AlternationResult } from './alternate';
import { median, pairedRatios, type RatioSummary } from './stats';

/** What a scenario promised, checked against its figures. */
export interface Goal {
  /** Human-readable form, printed in the table ("≤ 1.1×", "p99 < 20 ms"). */
  text: string;
  /** The ratio subject/peer must be at most this (lower-is-better metrics). */
  maxRatio?: number;
  /** The ratio subject/peer must be at least this (throughput). */
  minRatio?: number;
  /** The subject's median must be below this, in the metric's unit. */
  maxSubject?: number;
  /** The subject's median magnitude must be at most this (for signed deltas such as RSS drift). */
  maxAbsSubject?: number;
}

/** One line of the results table. */
export interface MetricResult {
  scenario: string;
  /** Sub-case, e.g. "1 doc × 50 clients, typing". */
  variant: string;
  metric: string;
  unit: string;
  subject: { name: string; values: number[]; median: number };
  /** Absent when the scenario has no peer for this figure. */
  peer?: { name: string; values: number[]; median: number };
  ratio?: RatioSummary;
  goal?: Goal;
  verdict: 'pass' | 'fail' | 'info';
}

/** How to read one figure out of a round's sample. */
export interface MetricSpec<Sample> {
  metric: string;
  unit: string;
  pick: (sample: Sample) => number;
  goal?: Goal;
}

/** Turns alternated rounds into table lines: medians per side and the paired ratio. */
export function compareRounds<Sample>(
  scenario: string,
  variant: string,
  names: { subject: string; peer: string },
  rounds: AlternationResult<Sample>,
  specs: readonly MetricSpec<Sample>[],
): MetricResult[] {
  return specs.map((spec) => {
    const subjectValues = rounds.subject.map(spec.pick);
    const peerValues = rounds.peer.map(spec.pick);
    const ratio = pairedRatios(subjectValues, peerValues);
    const result: MetricResult = {
      scenario,
      variant,
      metric: spec.metric,
      unit: spec.unit,
      subject: { name: names.subject, values: subjectValues, median: median(subjectValues) },
      peer: { name: names.peer, values: peerValues, median: median(peerValues) },
      ratio,
      verdict: 'info',
    };
    if (spec.goal) {
      result.goal = spec.goal;
      result.verdict = judge(result, spec.goal);
    }
    return result;
  });
}

/** A figure without a peer (e.g. the RSS drift of one server), optionally held to a goal. */
export function standaloneMetric(
  scenario: string,
  variant: string,
  metric: string,
  unit: string,
  subject: { name: string; values: number[] },
  goal?: Goal,
): MetricResult {
  const result: MetricResult = {
    scenario,
    variant,
    metric,
    unit,
    subject: { ...subject, median: median(subject.values) },
    verdict: 'info',
  };
  if (goal) {
    result.goal = goal;
    result.verdict = judge(result, goal);
  }
  return result;
}

/** Applies every bound the goal sets; a figure that could not be measured (NaN) fails. */
export function judge(result: Pick<MetricResult, 'subject' | 'ratio'>, goal: Goal): 'pass' | 'fail' {
  const checks: boolean[] = [];
  const ratio = result.ratio?.median ?? Number.NaN;
  if (goal.maxRatio !== undefined) checks.push(ratio <= goal.maxRatio);
  if (goal.minRatio !== undefined) checks.push(ratio >= goal.minRatio);
  if (goal.maxSubject !== undefined) checks.push(result.subject.median < goal.maxSubject);
  if (goal.maxAbsSubject !== undefined) checks.push(Math.abs(result.subject.median) <= goal.maxAbsSubject);
  return checks.every(Boolean) ? 'pass' : 'fail';
}
