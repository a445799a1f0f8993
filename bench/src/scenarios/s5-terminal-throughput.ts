import { spawn } from 'node:child_process';
import xtermHeadless from '@xterm/headless';
import { alternate } from '../lib/alternate';
import { containerExists, DOCKER } from '../lib/docker-cli';
import { compareRounds } from '../lib/metrics';
import { roundsFor, type Scenario } from '../lib/scenario';
import { openStudioTerminal, studiosTerminalsUnavailable } from '../lib/studio-terminal';

const { Terminal } = xtermHeadless;
/** The floor's terminal matches the bench client's (TerminalClient): 120×40, 1000 lines of scrollback. */
const FLOOR_TERMINAL = { cols: 120, rows: 40, scrollback: 1_000, allowProposedApi: true } as const;

interface ThroughputSample {
  megabytesPerSecond: number;
  /** Bytes actually written into xterm (less than produced when flow control resynced). */
  deliveredFraction: number;
}

/** S5: bulk output from a process in the Studio to @xterm/headless, against `docker exec | wc -c`. */
export const s5TerminalThroughput: Scenario = {
  id: 'S5',
  title:
    'Terminal throughput: process in the Studio → server → WS → @xterm/headless vs docker exec -t → @xterm/headless',
  unavailable: async (context) => studiosTerminalsUnavailable(context.studios),
  async run(context) {
    const bytes = context.quick ? 20_000_000 : 200_000_000;
    const producer = `head -c ${bytes} /dev/zero | tr '\\0' a`;
    context.note(
      `${bytes / 1e6} MB of 'a' (\`${producer}\`) per round; Studios time = command typed → end marker ` +
        'parsed by xterm with acks per protocol; floor = the same producer through `docker exec -t <container> …` ' +
        '(a TTY, as a terminal has) written into one @xterm/headless of the same size in the bench process, until ' +
        'parsed. The earlier floor (`docker exec … | wc -c`: a pipe, no PTY, nothing parsed) ran 3–4× faster than a ' +
        'TTY exec alone here, so no terminal could reach it',
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
      name: 'docker exec -t → xterm',
      async runRound(): Promise<ThroughputSample> {
        const started = performance.now();
        const parsed = await ttyExecIntoXterm(studio.containerName, producer);
        const seconds = (performance.now() - started) / 1000;
        if (parsed !== bytes) throw new Error(`xterm parsed ${parsed} bytes, expected ${bytes}`);
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

/**
 * Runs `command` through `docker exec -t` (a PTY in the container, like a terminal's) and writes
 * its output into a fresh @xterm/headless; resolves with the bytes parsed once xterm is done.
 */
function ttyExecIntoXterm(container: string, command: string): Promise<number> {
  const terminal = new Terminal(FLOOR_TERMINAL);
  let parsed = 0;
  return new Promise<number>((resolve, reject) => {
    const child = spawn(DOCKER, ['exec', '-t', container, 'sh', '-c', command], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      terminal.write(chunk, () => {
        parsed += chunk.length;
      });
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) reject(new Error(`docker exec -t exited with ${code}: ${stderr}`));
      else terminal.write('', () => resolve(parsed));
    });
  }).finally(() => terminal.dispose());
}
