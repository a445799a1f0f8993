import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { alternate, type Contender } from '../lib/alternate';
import { type CpuProbe, cpuDeltas, readProbes } from '../lib/cpu-probe';
import { compareRounds, type MetricResult } from '../lib/metrics';
import { type SshTarget, scpUpRecursive, sftpBatchRun, ssh, sshToPrompt } from '../lib/openssh-client';
import { roundsFor, type ScenarioContext } from '../lib/scenario';
import { mbPerSecond, perSecond, sftpBatch, smallFilePath, smallFileSizes } from '../lib/ssh-transfer';
import { median } from '../lib/stats';

/** One side of S9: where the OpenSSH client dials, and where its /workspace is on the host. */
export interface SshSide {
  name: string;
  target: SshTarget;
  workspaceDir: string;
  /** Puts the side to sleep: the Studio stopped through the API, the peer container stopped. */
  sleep(): Promise<void>;
  /** For the peer only: what has to happen before the first connection (`docker start`). */
  wake?(): Promise<void>;
  /** The processes and containers on this side's path, whose CPU time each transfer reports. */
  cpuProbes: CpuProbe[];
}

const REMOTE_FILE = '/workspace/s9-transfer.bin';
const GOAL = { text: '≥ 0.8× sshd', minRatio: 0.8 };

/** The random file the sftp rounds copy (written by {@link measureSftp}), and its size. */
export function transferFile(context: ScenarioContext, scratch: string): { file: string; bytes: number } {
  return { file: path.join(scratch, 'transfer.bin'), bytes: (context.quick ? 20 : 100) * 1_000_000 };
}

/** (a) `sftp -b` put, then get, of one random file; MB/s each way, checked by SHA-256 after the timing. */
export async function measureSftp(
  context: ScenarioContext,
  scratch: string,
  sides: readonly [SshSide, SshSide],
): Promise<MetricResult[]> {
  const { file: local, bytes } = transferFile(context, scratch);
  const megabytes = bytes / 1_000_000;
  const back = path.join(scratch, 'transfer-back.bin');
  const expected = await writeRandomFile(local, megabytes);
  const putBatch = path.join(scratch, 'put.batch');
  const getBatch = path.join(scratch, 'get.batch');
  await writeFile(putBatch, sftpBatch([['put', local, REMOTE_FILE]]));
  await writeFile(getBatch, sftpBatch([['get', REMOTE_FILE, back]]));
  context.note(
    `sftp: one ${megabytes} MB random file per round, \`sftp -b\` with a one-line batch (\`put\`, then a second ` +
      'run with `get`); each timed from spawn to exit of the real OpenSSH sftp, so a connection set-up (~0.1–0.3 s) ' +
      'is inside every figure, on both sides; MB/s = 10^6 bytes / s. Both files are checked by SHA-256 after the timing',
  );
  const contender = (side: SshSide): Contender<SftpSample> => ({
    name: side.name,
    async runRound() {
      await rm(back, { force: true });
      const beforePut = await readProbes(side.cpuProbes);
      const put = await sftpBatchRun(side.target, putBatch);
      const afterPut = await readProbes(side.cpuProbes);
      const get = await sftpBatchRun(side.target, getBatch);
      const afterGet = await readProbes(side.cpuProbes);
      const [remote, fetched] = await Promise.all([
        sha256OfFile(path.join(side.workspaceDir, path.basename(REMOTE_FILE))),
        sha256OfFile(back),
      ]);
      if (remote !== expected || fetched !== expected)
        throw new Error(`${side.name}: sftp copy differs from the source`);
      return {
        put: mbPerSecond(bytes, put.ms),
        get: mbPerSecond(bytes, get.ms),
        cpuPut: cpuDeltas(beforePut, afterPut),
        cpuGet: cpuDeltas(afterPut, afterGet),
      };
    },
  });
  const rounds = await alternate(contender(sides[0]), contender(sides[1]), {
    // A 100 MB transfer swings widely here from one second to the next (S11): more pairs steady the median.
    ...(context.quick ? roundsFor(context) : { rounds: 7, warmupRounds: 1 }),
    onRound: ({ contender: name, round, warmup, sample }) =>
      context.log(
        `S9 sftp ${name} round ${round}${warmup ? ' (warm-up)' : ''}: put ${sample.put.toFixed(1)} MB/s, get ${sample.get.toFixed(1)} MB/s`,
      ),
  });
  await rm(back, { force: true });
  for (const [index, side] of sides.entries()) {
    const samples = index === 0 ? rounds.subject : rounds.peer;
    context.note(
      `sftp CPU on the ${side.name} path, CPU seconds per ${megabytes} MB (median over the measured rounds; ` +
        `dockerd and containerd are machine-wide): put ${describeCpu(samples.map((sample) => sample.cpuPut))}; ` +
        `get ${describeCpu(samples.map((sample) => sample.cpuGet))}`,
    );
  }
  return compareRounds('S9', `sftp ${megabytes} MB file`, names(sides), rounds, [
    { metric: 'put throughput', unit: 'MB/s', pick: (sample) => sample.put, goal: GOAL },
    { metric: 'get throughput', unit: 'MB/s', pick: (sample) => sample.get, goal: GOAL },
  ]);
}

interface SftpSample {
  put: number;
  get: number;
  cpuPut: Map<string, number>;
  cpuGet: Map<string, number>;
}

/** `label 1.23 s, …` with each label's median over the rounds. */
function describeCpu(rounds: readonly Map<string, number>[]): string {
  const labels = [...new Set(rounds.flatMap((round) => [...round.keys()]))];
  return labels
    .map((label) => `${label} ${median(rounds.map((round) => round.get(label) ?? Number.NaN)).toFixed(2)} s`)
    .join(', ');
}

/** (b) `scp -r` of a folder of 1,000 files of 1–4 KB up into /workspace; files/s, every file counted after. */
export async function measureScpTree(
  context: ScenarioContext,
  scratch: string,
  sides: readonly [SshSide, SshSide],
): Promise<MetricResult[]> {
  const sizes = smallFileSizes(1_000);
  const tree = path.join(scratch, 'tree');
  for (const [index, size] of sizes.entries()) {
    const file = path.join(tree, smallFilePath(index));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, randomBytes(size));
  }
  const total = sizes.reduce((sum, size) => sum + size, 0);
  context.note(
    `scp -r: ${sizes.length} files of 1–4 KB (${(total / 1e6).toFixed(2)} MB in 10 folders, the same tree every ` +
      'round) copied up with `scp -r -q` into a new /workspace folder (OpenSSH 9 scp speaks SFTP); timed spawn to ' +
      'exit; the files are counted on the host and the folder removed after each round',
  );
  const contender = (side: SshSide): Contender<{ ms: number }> => ({
    name: side.name,
    async runRound(round) {
      const remoteName = `s9-tree-${round}`;
      const run = await scpUpRecursive(side.target, tree, `/workspace/${remoteName}`);
      const copied = path.join(side.workspaceDir, remoteName);
      const count = (await readdir(copied, { recursive: true, withFileTypes: true })).filter((entry) =>
        entry.isFile(),
      ).length;
      await rm(copied, { recursive: true, force: true });
      if (count !== sizes.length)
        throw new Error(`${side.name}: scp -r copied ${count} of ${sizes.length} files`);
      return { ms: run.ms };
    },
  });
  const rounds = await alternate(contender(sides[0]), contender(sides[1]), {
    ...roundsFor(context),
    onRound: ({ contender: name, round, warmup, sample }) =>
      context.log(
        `S9 scp -r ${name} round ${round}${warmup ? ' (warm-up)' : ''}: ${sample.ms.toFixed(0)} ms`,
      ),
  });
  return compareRounds('S9', `scp -r ${sizes.length} files of 1–4 KB`, names(sides), rounds, [
    {
      metric: 'files per second',
      unit: 'files/s',
      pick: (sample) => perSecond(sizes.length, sample.ms),
      goal: GOAL,
    },
    { metric: 'copy time', unit: 'ms', pick: (sample) => sample.ms },
  ]);
}

/**
 * (c) From `ssh` to a sleeping Studio: the Studio stopped through the API (the gateway wakes it),
 * against `docker start` of the stopped sshd container then `ssh` retried until sshd answers.
 * Two cases: `ssh host true` to its exit, and `ssh -tt host` to the first prompt.
 */
export async function measureWake(
  context: ScenarioContext,
  sides: readonly [SshSide, SshSide],
): Promise<MetricResult[]> {
  context.note(
    'wake: each round first puts the side to sleep outside the timing (Studio: POST /api/studios/:id/stop, polled ' +
      'until stopped; peer: `docker stop`); gateway = `ssh <studio>@gateway true` from spawn to exit (the gateway ' +
      'wakes the Studio), or `ssh -tt` until the login shell’s prompt; peer = `docker start` + the same ssh retried ' +
      'every 10 ms until sshd answers (docker-proxy accepts on the published port before sshd listens). No goal in ' +
      'the issue; S7’s resume goal is < 2 s to a prompt',
  );
  const results: MetricResult[] = [];
  const cases = [
    { variant: 'sleeping → `ssh true` exits', connect: (target: SshTarget) => ssh(target, ['true']) },
    { variant: 'sleeping → `ssh -tt` prompt', connect: (target: SshTarget) => sshToPrompt(target) },
  ];
  for (const wakeCase of cases) {
    const contender = (side: SshSide): Contender<{ ms: number }> => ({
      name: side.name,
      async runRound() {
        await side.sleep();
        const started = performance.now();
        await side.wake?.();
        // The gateway must wake the Studio on the first try; the peer's port answers only once sshd runs.
        if (side.wake) await retryUntilDone(() => wakeCase.connect(side.target), 60_000);
        else await wakeCase.connect(side.target);
        return { ms: performance.now() - started };
      },
    });
    const rounds = await alternate(contender(sides[0]), contender(sides[1]), {
      ...roundsFor(context),
      onRound: ({ contender: name, round, warmup, sample }) =>
        context.log(
          `S9 ${wakeCase.variant} ${name} round ${round}${warmup ? ' (warm-up)' : ''}: ${sample.ms.toFixed(0)} ms`,
        ),
    });
    results.push(
      ...compareRounds('S9', wakeCase.variant, names(sides), rounds, [
        { metric: 'time to done', unit: 'ms', pick: (sample) => sample.ms },
      ]),
    );
  }
  return results;
}

async function retryUntilDone(attempt: () => Promise<unknown>, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      await attempt();
      return;
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

export function names(sides: readonly [SshSide, SshSide]) {
  return { subject: sides[0].name, peer: sides[1].name };
}

/** Writes `megabytes` × 1,000,000 random bytes (nothing on the way can compress them); returns the SHA-256. */
async function writeRandomFile(file: string, megabytes: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(file);
  for (let index = 0; index < megabytes; index++) {
    const chunk = randomBytes(1_000_000);
    hash.update(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
  return hash.digest('hex');
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
