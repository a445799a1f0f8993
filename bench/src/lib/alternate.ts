import { collectBenchGarbage } from './gc';

/** One side of a comparison: runs one measured round and returns its figures. */
export interface Contender<Sample> {
  name: string;
  runRound(round: number): Promise<Sample>;
}

/** Options for {@link alternate}. */
export interface AlternationOptions<Sample> {
  /** Measured rounds per contender (the suite asks for at least 5). */
  rounds: number;
  /** Rounds per contender run first and discarded (JIT, caches, first connections). */
  warmupRounds: number;
  onRound?: (report: { contender: string; round: number; warmup: boolean; sample: Sample }) => void;
}

/** Samples per contender; index i of both arrays ran back to back. */
export interface AlternationResult<Sample> {
  subject: Sample[];
  peer: Sample[];
}

/**
 * Runs subject and peer in strict alternation (A, B, A, B…) after the warm-up, so that drift in
 * a shared, noisy machine lands on both sides equally and each pair of rounds can be compared.
 */
export async function alternate<Sample>(
  subject: Contender<Sample>,
  peer: Contender<Sample>,
  options: AlternationOptions<Sample>,
): Promise<AlternationResult<Sample>> {
  const result: AlternationResult<Sample> = { subject: [], peer: [] };
  const total = options.warmupRounds + options.rounds;
  for (let round = 0; round < total; round++) {
    const warmup = round < options.warmupRounds;
    for (const [contender, samples] of [
      [subject, result.subject],
      [peer, result.peer],
    ] as const) {
      collectBenchGarbage();
      const sample = await contender.runRound(round);
      options.onRound?.({ contender: contender.name, round, warmup, sample });
      if (!warmup) samples.push(sample);
    }
  }
  return result;
}
