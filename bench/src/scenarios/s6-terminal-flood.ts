import { waitFor } from '@studios/testkit';
import { delay } from '../lib/delay';
import { type MetricResult, standaloneMetric } from '../lib/metrics';
import type { Scenario } from '../lib/scenario';
import { distribution } from '../lib/stats';
import { openStudioTerminal, studiosTerminalsUnavailable } from '../lib/studio-terminal';
import type { TerminalClient } from '../lib/terminal-client';

const ECHOES_PER_ROUND = 20;

/** S6: `yes` flood in one terminal; echo latency in another; Ctrl-C until the prompt is back. */
export const s6TerminalFlood: Scenario = {
  id: 'S6',
  title: 'Terminal flood: echo latency while `yes` floods, and Ctrl-C → prompt',
  unavailable: async (context) => studiosTerminalsUnavailable(context.studios),
  async run(context) {
    const rounds = context.quick ? 2 : 5;
    context.note(
      `${rounds} rounds after a warm-up: terminal A runs \`yes\`; once 2 MB arrived, ${ECHOES_PER_ROUND} keystrokes are typed ` +
        '25 ms apart at the bash prompt of terminal B in the same Studio (echo = key sent → echo received); then Ctrl-C in A ' +
        '(quiet = Ctrl-C sent → arrival of the frame completing the prompt). Echo is measured in a second terminal because ' +
        'a client behind the flood gets a screen snapshot instead of the backlog, so an echo inside the flood is never shown. ' +
        "No peer process: the goals are VS Code's (quiet within 1 s, echo p99 < 50 ms)",
    );
    await using studio = await openStudioTerminal(context.studios);
    const typist = await studio.openAnother();
    const echoes: number[] = [];
    const quiet: number[] = [];
    for (let round = 0; round < rounds + 1; round++) {
      const sample = await floodRound(studio.terminal, typist);
      context.log(
        `S6 round ${round}${round === 0 ? ' (warm-up)' : ''}: echo p50 ${distribution(sample.echoes).p50.toFixed(1)} ms, quiet after ${sample.quietMs.toFixed(0)} ms`,
      );
      if (round === 0) continue;
      echoes.push(...sample.echoes);
      quiet.push(sample.quietMs);
    }
    const echo = distribution(echoes);
    const studios = (values: number[]) => ({ name: 'studios', values });
    const results: MetricResult[] = [
      standaloneMetric('S6', 'yes flood', 'echo p50 (other terminal)', 'ms', studios([echo.p50])),
      standaloneMetric('S6', 'yes flood', 'echo p99 (other terminal)', 'ms', studios([echo.p99]), {
        text: '< 50 ms',
        maxSubject: 50,
      }),
      standaloneMetric('S6', 'yes flood', 'Ctrl-C → prompt', 'ms', studios(quiet), {
        text: '< 1000 ms',
        maxSubject: 1000,
      }),
    ];
    return results;
  },
};

async function floodRound(flooded: TerminalClient, typist: TerminalClient) {
  const floodStart = flooded.bytesReceived;
  flooded.type('yes\r');
  await waitFor(() => flooded.bytesReceived - floodStart > 2_000_000, {
    timeoutMs: 30_000,
    what: 'the flood',
  });
  const echoes: number[] = [];
  for (let echo = 0; echo < ECHOES_PER_ROUND; echo++) {
    const key = String.fromCharCode(65 + (echo % 26));
    const seen = typist.waitForOutput(key, 10_000);
    const sentAt = performance.now();
    typist.type(key);
    echoes.push((await seen).at - sentAt);
    await delay(25);
  }
  // Ctrl-U: clear the typed line so the next round starts at an empty prompt.
  typist.type('\x15');
  const interruptedAt = performance.now();
  flooded.type('\x03');
  const promptAt = await flooded.waitForPrompt(10_000);
  return { echoes, quietMs: promptAt - interruptedAt };
}
