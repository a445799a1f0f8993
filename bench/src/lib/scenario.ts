import type { EditingTrace } from './b4-trace';
import type { MetricResult } from './metrics';
import type { StudiosLaunch } from './studios-api';

/** What the runner hands every scenario. */
export interface ScenarioContext {
  /** The Studios server under test (checkout + entry file). */
  studios: StudiosLaunch;
  /** The bench workspace folder. */
  benchDir: string;
  /** Smoke run: fewer rounds and smaller loads, to prove the wiring in a minute or two. */
  quick: boolean;
  /** Progress line on stderr. */
  log(message: string): void;
  /** A method note kept with the results (op counts, rates, caveats). */
  note(message: string): void;
  /**
   * The system under test: normally `studios`; `stock` runs the peer against itself (an A/A
   * run that shows how much of a ratio is noise, and proves the machinery without the server).
   */
  subject: 'studios' | 'stock';
  /** The B4 trace, parsed once per run. */
  trace(): Promise<EditingTrace>;
  /** The full B4 history as one Yjs update (text `source`), built once per run. */
  fullHistoryUpdate(): Promise<Uint8Array>;
}

/** One benchmark of the suite (docs/performance.md numbers them S1–S10). */
export interface Scenario {
  id: string;
  title: string;
  /** Why the scenario cannot run on this checkout or machine, or undefined when it can. */
  unavailable(context: ScenarioContext): Promise<string | undefined>;
  run(context: ScenarioContext): Promise<MetricResult[]>;
}

/** Rounds per contender: the method asks for at least 5 measured rounds after a warm-up. */
export function roundsFor(context: ScenarioContext): { rounds: number; warmupRounds: number } {
  return context.quick ? { rounds: 2, warmupRounds: 1 } : { rounds: 5, warmupRounds: 1 };
}
