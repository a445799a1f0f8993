import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { alternate } from '../lib/alternate';
import { containerExists, DOCKER } from '../lib/docker-cli';
import { compareRounds } from '../lib/metrics';
import { roundsFor, type Scenario } from '../lib/scenario';
import { openStudioTerminal, studiosTerminalsUnavailable } from '../lib/studio-terminal';

const run = promisify(execFile);

interface ThroughputSample {
  megabytesPerSecond: number;
  /** Bytes actually written into xterm (less than produced when flow control resynced). */
  deliveredFraction: number;
}

/** S5: bulk output from a process in the Studio to @xterm/headless, against `docker exec | wc -c`. */
export const s5TerminalThroughput: Scenario = {
  id: 'S5',
  title: 'Terminal throughput: process in the Studio → server → WS → @xterm/headless vs docker exec | wc -c',
  unavailable: async (context) => studiosTerminalsUnavailable(context.studios),
  async run(context) {
    const bytes = context.quick ? 20_000_000 : 200_000_000;
    const producer = `head -c ${bytes} /dev/zero | tr '\\0' a`;
    context.note(
      `${bytes / 1e6} MB of 'a' (\`${producer}\`) per round; Studios time = command typed → end marker ` +
        'parsed by xterm with acks per protocol; floor = the same producer through `docker exec <container> … | wc -c`',
    );
    await using studio = await openStudioTerminal(context.studios);
    const { terminal } = studio;
    if (!(await containerExists(studio.containerName))) {
      throw new Error(`no container ${studio.containerName}: is the server on the Docker runtime?`);
    }
    const studios = {
      name: 'studios',
      async runRound(round: number): Promise<ThroughputSample> {
        const marker = `S5DONE${round}`;
        const writtenBefore = terminal.bytesWritten;
        const started = performance.now();
        // The marker is split in the typed command so that the echo of the command never matches.
        const done = terminal.waitForOutput(marker, 600_000);
        terminal.type(`${producer}; echo; echo S5DONE""${round}\r`);
        await done;
        await terminal.flushed();
        const seconds = (performance.now() - started) / 1000;
        return {
          megabytesPerSecond: bytes / 1e6 / seconds,
          deliveredFraction: (terminal.bytesWritten - writtenBefore) / bytes,
        };
      },
    };
    const floor = {
      name: 'docker exec → wc -c',
      async runRound(): Promise<ThroughputSample> {
        const started = performance.now();
        const { stdout } = await run('sh', [
          '-c',
          `${DOCKER} exec ${studio.containerName} sh -c "${producer}" | wc -c`,
        ]);
        const seconds = (performance.now() - started) / 1000;
        if (Number(stdout.trim()) !== bytes)
          throw new Error(`wc counted ${stdout.trim()} bytes, expected ${bytes}`);
        return { megabytesPerSecond: bytes / 1e6 / seconds, deliveredFraction: 1 };
      },
    };
    const rounds = await alternate(studios, floor, {
      ...roundsFor(context),
      onRound: ({ contender, round, warmup, sample }) =>
        context.log(
          `S5 ${contender} round ${round}${warmup ? ' (warm-up)' : ''}: ${sample.megabytesPerSecond.toFixed(1)} MB/s, delivered ${(sample.deliveredFraction * 100).toFixed(0)}%`,
        ),
    });
    return compareRounds('S5', `${bytes / 1e6} MB`, { subject: 'studios', peer: floor.name }, rounds, [
      {
        metric: 'throughput',
        unit: 'MB/s',
        pick: (sample) => sample.megabytesPerSecond,
        goal: { text: '≥ 0.9× floor', minRatio: 0.9 },
      },
      { metric: 'bytes written to xterm', unit: '× produced', pick: (sample) => sample.deliveredFraction },
    ]);
  },
};
