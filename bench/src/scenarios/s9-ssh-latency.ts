import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { alternate, type Contender } from '../lib/alternate';
import { DOCKER } from '../lib/docker-cli';
import { echoRoundTrip } from '../lib/echo-round-trip';
import { compareRounds, type MetricResult, standaloneMetric } from '../lib/metrics';
import { clientOptions, destination, sftpBatchRun } from '../lib/openssh-client';
import { roundsFor, type ScenarioContext } from '../lib/scenario';
import { mbPerSecond, sftpBatch } from '../lib/ssh-transfer';
import { names, type SshSide } from './s9-ssh-rounds';

/**
 * Where small files lose time: one SFTP request's round trip. `cd` in an sftp batch is a
 * realpath and a stat, two requests each waiting for its answer; a batch of 1 + N `cd`s minus a
 * batch of one, over 2N, leaves the connection set-up out.
 */
export async function measureRequestRoundTrip(
  context: ScenarioContext,
  scratch: string,
  sides: readonly [SshSide, SshSide],
): Promise<MetricResult[]> {
  const extra = 2_000;
  const one = path.join(scratch, 'cd-1.batch');
  const many = path.join(scratch, 'cd-many.batch');
  await writeFile(one, sftpBatch([['cd', '/workspace']]));
  await writeFile(many, sftpBatch(Array.from({ length: 1 + extra }, () => ['cd', '/workspace'] as const)));
  context.note(
    `sftp request round trip: (\`sftp -b\` of ${1 + extra} \`cd /workspace\` − the same with one) / ${2 * extra}; ` +
      'each `cd` is a realpath then a stat, each waiting for its answer, so this is the latency every small file pays ' +
      'a few times (open, write, close, setstat)',
  );
  const contender = (side: SshSide): Contender<{ ms: number }> => ({
    name: side.name,
    async runRound() {
      const base = await sftpBatchRun(side.target, one);
      const loaded = await sftpBatchRun(side.target, many);
      return { ms: (loaded.ms - base.ms) / (2 * extra) };
    },
  });
  const rounds = await alternate(contender(sides[0]), contender(sides[1]), {
    ...roundsFor(context),
    onRound: ({ contender: name, round, warmup, sample }) =>
      context.log(
        `S9 sftp round trip ${name} round ${round}${warmup ? ' (warm-up)' : ''}: ${sample.ms.toFixed(3)} ms`,
      ),
  });
  return compareRounds('S9', 'sftp request round trip', names(sides), rounds, [
    { metric: 'request → answer', unit: 'ms', pick: (sample) => sample.ms },
  ]);
}

/**
 * The latency under every request: 64 bytes echoed by `cat` over one `ssh host cat` session on
 * each side, and (no SSH at all) through `docker exec -i <Studio> cat`, the path the gateway's
 * sessions take into the Studio.
 */
export async function measureEcho(
  context: ScenarioContext,
  sides: readonly [SshSide, SshSide],
  studioContainer: string | undefined,
): Promise<MetricResult[]> {
  const count = context.quick ? 200 : 1_000;
  context.note(
    `echo round trip: ${count} messages of 64 B, one at a time, through \`ssh host cat\` (no PTY) on each side; ` +
      'median per round. Floor without SSH: the same through `docker exec -i <Studio container> cat` (dockerd’s ' +
      'hijacked exec stream and containerd’s shim, which the gateway’s sessions ride)',
  );
  const contender = (side: SshSide): Contender<{ ms: number }> => ({
    name: side.name,
    runRound: async () => ({
      ms: await echoRoundTrip(
        'ssh',
        [...clientOptions(side.target), '-p', String(side.target.port), destination(side.target), 'cat'],
        {
          count,
        },
      ),
    }),
  });
  const rounds = await alternate(contender(sides[0]), contender(sides[1]), {
    ...roundsFor(context),
    onRound: ({ contender: name, round, warmup, sample }) =>
      context.log(`S9 echo ${name} round ${round}${warmup ? ' (warm-up)' : ''}: ${sample.ms.toFixed(3)} ms`),
  });
  const results = compareRounds('S9', 'echo 64 B (ssh host cat)', names(sides), rounds, [
    { metric: 'round trip p50', unit: 'ms', pick: (sample) => sample.ms },
  ]);
  if (studioContainer) {
    const floor: number[] = [];
    for (let round = 0; round < roundsFor(context).rounds; round++)
      floor.push(await echoRoundTrip(DOCKER, ['exec', '-i', studioContainer, 'cat'], { count }));
    results.push(
      standaloneMetric('S9', 'echo 64 B (docker exec -i cat)', 'round trip p50', 'ms', {
        name: 'docker exec',
        values: floor,
      }),
    );
  }
  return results;
}

/**
 * The gateway's sessions ride a docker exec; how fast does that go with no SSH at all? The same
 * file through `docker exec <Studio> cat <file>` to the bench (out) and `docker exec -i <Studio>
 * sh -c 'cat > …'` from it (in), timed spawn to exit.
 */
export async function measureExecFloor(
  context: ScenarioContext,
  localFile: string,
  bytes: number,
  studioContainer: string,
): Promise<MetricResult[]> {
  const remote = '/workspace/s9-exec-floor.bin';
  context.note(
    `docker exec floor: the sftp file (${bytes / 1e6} MB) into the Studio with \`docker exec -i <Studio> sh -c 'cat > …'\` ` +
      "and back out with `docker exec <Studio> cat …` into the bench process (pipes, no TTY, no SSH): what the gateway's " +
      'sftp-server session can at most get through dockerd and containerd’s shim',
  );
  const put: number[] = [];
  const get: number[] = [];
  const { rounds, warmupRounds } = roundsFor(context);
  for (let round = 0; round < rounds + warmupRounds; round++) {
    const up = await timedExec(['exec', '-i', studioContainer, 'sh', '-c', `cat > ${remote}`], localFile);
    const down = await timedExec(['exec', studioContainer, 'cat', remote]);
    if (down.bytes !== bytes) throw new Error(`docker exec cat returned ${down.bytes} of ${bytes} bytes`);
    if (round >= warmupRounds) {
      put.push(mbPerSecond(bytes, up.ms));
      get.push(mbPerSecond(bytes, down.ms));
    }
    context.log(
      `S9 docker exec floor round ${round}${round < warmupRounds ? ' (warm-up)' : ''}: in ${mbPerSecond(bytes, up.ms).toFixed(1)} MB/s, out ${mbPerSecond(bytes, down.ms).toFixed(1)} MB/s`,
    );
  }
  await timedExec(['exec', studioContainer, 'rm', '-f', remote]);
  const variant = `docker exec floor, ${bytes / 1e6} MB`;
  return [
    standaloneMetric('S9', variant, 'stdin throughput (put path)', 'MB/s', {
      name: 'docker exec',
      values: put,
    }),
    standaloneMetric('S9', variant, 'stdout throughput (get path)', 'MB/s', {
      name: 'docker exec',
      values: get,
    }),
  ];
}

/** Runs the docker CLI with `input` (a file) on stdin; counts stdout bytes; timed spawn to exit. */
function timedExec(args: readonly string[], input?: string): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(DOCKER, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let bytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-1_000);
    });
    child.stdin.on('error', () => {});
    if (input) createReadStream(input).pipe(child.stdin);
    else child.stdin.end();
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0
        ? resolve({ ms: performance.now() - started, bytes })
        : reject(new Error(`docker ${args.join(' ')} exited with ${code}: ${stderr}`)),
    );
  });
}
