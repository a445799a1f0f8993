import { randomUUID } from 'node:crypto';
import { alternate } from '../lib/alternate';
import { docker, execToPrompt } from '../lib/docker-cli';
import { compareRounds, type MetricResult } from '../lib/metrics';
import { roundsFor, type Scenario } from '../lib/scenario';
import { studiosTerminalsUnavailable } from '../lib/studio-terminal';
import { StudiosSession, startStudiosServer } from '../lib/studios-api';
import { TerminalClient } from '../lib/terminal-client';

interface StartSample {
  ms: number;
}

/** S7: Studio start → first shell prompt (resume from stopped, and cold create) vs the docker CLI. */
export const s7StudioStart: Scenario = {
  id: 'S7',
  title: 'Studio start → first shell prompt (resume and cold create) vs docker start + docker exec',
  unavailable: async (context) => studiosTerminalsUnavailable(context.studios),
  async run(context) {
    context.note(
      'Studios: POST /start (or POST /api/studios then /start) → state running (polled every 10 ms) → POST /terminals → ' +
        'socket → prompt on the cursor line. Peer: /usr/bin/docker start (or create + start) then `docker exec -t … bash -l` until `$ `',
    );
    await using server = await startStudiosServer({
      launch: context.studios,
      env: { STUDIOS_RUNTIME: 'docker' },
    });
    const session = await StudiosSession.signUp(server, 'bench-start');
    const machineTypes = (await session.request('GET', '/api/machine-types')) as Array<{ image: string }>;
    const image = machineTypes[0]?.image;
    if (!image) throw new Error('no machine types');
    const resumeStudio = await session.createStudio('bench-resume');
    await session.startStudio(resumeStudio);
    const peerName = `studios-bench-peer-${randomUUID().slice(0, 8)}`;
    // The peer container mirrors what matters for start time: same image, tini as init, same command.
    const createPeer = (name: string) =>
      docker('create', '--init', '--name', name, '-w', '/workspace', image, 'sleep', 'infinity');
    await createPeer(peerName);
    const results: MetricResult[] = [];
    try {
      const resume = await alternate(
        {
          name: 'studios',
          async runRound() {
            await session.stopStudio(resumeStudio);
            const started = performance.now();
            await session.startStudio(resumeStudio);
            return { ms: (await promptIn(session, resumeStudio)) - started };
          },
        },
        {
          name: 'docker CLI',
          async runRound() {
            await docker('stop', '-t', '10', peerName);
            const started = performance.now();
            await docker('start', peerName);
            return { ms: (await execToPrompt(peerName)) - started };
          },
        },
        { ...roundsFor(context), onRound: logRound(context.log, 'resume') },
      );
      results.push(
        ...compareStart('resume from stopped', resume, {
          text: '≤ 1.0× and < 2000 ms',
          maxRatio: 1,
          maxSubject: 2000,
        }),
      );

      const cold = await alternate(
        {
          name: 'studios',
          async runRound(round) {
            const started = performance.now();
            const studioId = await session.createStudio(`bench-cold-${round}`);
            await session.startStudio(studioId);
            const ms = (await promptIn(session, studioId)) - started;
            await session.request('DELETE', `/api/studios/${studioId}`);
            return { ms };
          },
        },
        {
          name: 'docker CLI',
          async runRound(round) {
            const name = `${peerName}-cold-${round}`;
            const started = performance.now();
            await createPeer(name);
            await docker('start', name);
            const ms = (await execToPrompt(name)) - started;
            await docker('rm', '-f', name);
            return { ms };
          },
        },
        { ...roundsFor(context), onRound: logRound(context.log, 'cold create') },
      );
      results.push(...compareStart('cold create', cold, { text: '≤ 1.0×', maxRatio: 1 }));
    } finally {
      await docker('rm', '-f', peerName).catch(() => undefined);
      await session.request('DELETE', `/api/studios/${resumeStudio}`).catch(() => undefined);
    }
    return results;
  },
};

/** Opens a terminal in the running Studio and resolves with the time its first prompt arrived. */
async function promptIn(session: StudiosSession, studioId: string): Promise<number> {
  const terminalId = await session.createTerminal(studioId);
  const terminal = await TerminalClient.attach(
    session.terminalSocketUrl(studioId, terminalId),
    session.socketHeaders(true),
  );
  try {
    return await terminal.waitForPrompt(30_000);
  } finally {
    terminal.dispose();
    await session
      .request('DELETE', `/api/studios/${studioId}/terminals/${terminalId}`)
      .catch(() => undefined);
  }
}

function compareStart(
  variant: string,
  rounds: { subject: StartSample[]; peer: StartSample[] },
  goal: { text: string; maxRatio: number; maxSubject?: number },
) {
  return compareRounds('S7', variant, { subject: 'studios', peer: 'docker CLI' }, rounds, [
    { metric: 'start → prompt', unit: 'ms', pick: (sample) => sample.ms, goal },
  ]);
}

function logRound(log: (message: string) => void, label: string) {
  return ({
    contender,
    round,
    warmup,
    sample,
  }: {
    contender: string;
    round: number;
    warmup: boolean;
    sample: StartSample;
  }) =>
    log(`S7 ${label} ${contender} round ${round}${warmup ? ' (warm-up)' : ''}: ${sample.ms.toFixed(0)} ms`);
}
