import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { findFreePort } from '../lib/child-server';
import { serverFeatureMissing } from '../lib/collab-targets';
import { containerProbe, processesProbe, processProbe } from '../lib/cpu-probe';
import type { MetricResult } from '../lib/metrics';
import { makeEd25519Key, type SshTarget, ssh, writeKnownHosts } from '../lib/openssh-client';
import type { Scenario, ScenarioContext } from '../lib/scenario';
import { describeCiphers, knownHostsLine, parseNegotiatedAlgorithms } from '../lib/ssh-transfer';
import { type ContainerLimits, containerLimits, ensureBenchSshdImage, SshdPeer } from '../lib/sshd-peer';
import { StudiosSession, startStudiosServer } from '../lib/studios-api';
import { measureEcho, measureExecFloor, measureRequestRoundTrip } from './s9-ssh-latency';
import { measureScpTree, measureSftp, measureWake, type SshSide, transferFile } from './s9-ssh-rounds';

const execFileAsync = promisify(execFile);

/** What `GET /api/ssh` answers (packages/protocol `SshGatewayInfo`). */
interface GatewayInfo {
  enabled: boolean;
  port: number;
  hostKeyAlias: string;
  knownHostsLine: string;
}

/**
 * S9 (issue #11): the Remote-SSH gateway against OpenSSH's own sshd in a container of the
 * Studio kind, same run, the real OpenSSH client on both: sftp throughput, `scp -r` of 1,000
 * small files, and `ssh` to a sleeping Studio.
 */
export const s9SshTransfer: Scenario = {
  id: 'S9',
  title:
    'SSH gateway vs OpenSSH sshd in a Studio-kind container: sftp 100 MB, scp -r 1,000 files, ssh to a sleeping Studio',
  async unavailable(context) {
    const missing =
      serverFeatureMissing(context.studios, 'ssh') ?? serverFeatureMissing(context.studios, 'runtime');
    if (missing) return missing;
    if (!existsSync('/var/run/docker.sock')) return 'Docker is not running (no /var/run/docker.sock)';
    for (const tool of ['ssh', 'sftp', 'scp', 'ssh-keygen']) {
      const found = await execFileAsync('sh', ['-c', `command -v ${tool}`]).then(
        () => true,
        () => false,
      );
      if (!found) return `${tool} is missing (bash scripts/setup/ensure-ssh-tools.sh)`;
    }
    return undefined;
  },
  async run(context) {
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'studios-bench-s9-'));
    try {
      await ensureBenchSshdImage(context.studios.repoRoot, context.log);
      await using server = await startStudiosServer({
        launch: context.studios,
        env: { STUDIOS_RUNTIME: 'docker' },
      });
      const session = await StudiosSession.signUp(server, 'bench-ssh');
      const studioId = await session.createStudio('bench-ssh');
      try {
        const key = await makeEd25519Key(scratch);
        await session.request('POST', '/api/ssh-keys', { name: 'bench', publicKey: key.publicLine });
        await session.startStudio(studioId);
        const gateway = (await session.request('GET', '/api/ssh')) as GatewayInfo;
        if (!gateway.enabled) throw new Error('GET /api/ssh says the gateway is off');
        const gatewayTarget: SshTarget = {
          label: 'gateway',
          host: '127.0.0.1',
          port: gateway.port,
          user: studioId,
          identityFile: key.privatePath,
          knownHostsFile: path.join(scratch, 'known_hosts.gateway'),
          hostKeyAlias: gateway.hostKeyAlias,
          extraOptions: diagnosisOptions(),
        };
        await writeKnownHosts(gatewayTarget.knownHostsFile, gateway.knownHostsLine);

        const limits = await containerLimits(`studios-${studioId}`);
        const peer = await startSshdSide(context, 'sshd', server.dataDir, scratch, key, limits);
        await using _peer = peer.owner;
        // `--subject stock`: a second sshd container in the gateway's place, an A/A run that shows the noise.
        const subject =
          context.subject === 'stock'
            ? await startSshdSide(context, 'sshd A', server.dataDir, scratch, key, limits)
            : {
                side: {
                  name: 'gateway',
                  target: gatewayTarget,
                  workspaceDir: path.join(server.dataDir, 'studios', studioId, 'workspace'),
                  sleep: () => session.stopStudio(studioId),
                  cpuProbes: [
                    processProbe('Studios server', server.child.pid),
                    containerProbe('Studio container', `studios-${studioId}`),
                    processesProbe('dockerd', '^dockerd'),
                    processesProbe('containerd', '^(/usr/bin/)?containerd'),
                  ],
                } satisfies SshSide,
                owner: undefined,
              };
        await using _subject = subject.owner;

        context.note(
          `Both sides: the real OpenSSH client (${(await sshVersion()).trim()}) on the host with the options Studios' ` +
            'connect dialog gives (pinned HostKeyAlias, StrictHostKeyChecking=yes, one ed25519 key from ssh-keygen, no ' +
            'config file), default algorithms. Gateway = Studios server child process (docker runtime, GET /api/ssh → ' +
            `127.0.0.1:<free port>, user = Studio id). Peer = docker/bench-sshd (studios/base + Debian openssh-server), ` +
            'sshd -D as the Studio user, tini, no capabilities, no-new-privileges, the Studio container’s limits ' +
            `(${limits.nanoCpus / 1e9} CPUs, ${limits.memoryBytes / 2 ** 20} MiB, pids ${limits.pids}), its own bridge ` +
            'network, port 2222 published on 127.0.0.1 (docker-proxy, as the gateway path has dockerd’s exec stream), a ' +
            'host folder beside the Studios’ workspaces as /workspace',
        );
        context.note(
          `Negotiated (ssh -v): ${subject.side.name} ${await negotiated(subject.side.target)}; ` +
            `${peer.side.name} ${await negotiated(peer.side.target)}`,
        );
        if (diagnosisOptions().length > 0)
          context.note(
            `Diagnosis run: every tool on both sides had -o ${diagnosisOptions().join(' -o ')} (S9_SSH_OPTIONS)`,
          );
        const sides: [SshSide, SshSide] = [subject.side, peer.side];
        const results: MetricResult[] = [];
        results.push(...(await measureSftp(context, scratch, sides)));
        if (context.subject !== 'stock') {
          const { file, bytes } = transferFile(context, scratch);
          results.push(...(await measureExecFloor(context, file, bytes, `studios-${studioId}`)));
        }
        results.push(...(await measureScpTree(context, scratch, sides)));
        results.push(...(await measureRequestRoundTrip(context, scratch, sides)));
        results.push(
          ...(await measureEcho(
            context,
            sides,
            context.subject === 'stock' ? undefined : `studios-${studioId}`,
          )),
        );
        // Last: it leaves both sides asleep.
        results.push(...(await measureWake(context, sides)));
        return results;
      } catch (error) {
        throw withServerOutput(error, server.child.recentOutput);
      } finally {
        // Deleting the Studio removes its container and network; the data folder goes with the server.
        await session.request('DELETE', `/api/studios/${studioId}`).catch(() => undefined);
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  },
};

/**
 * One sshd container of the Studio kind, started and answering, with its own workspace folder
 * beside the Studios' workspaces (so both sides write to the same file system).
 */
async function startSshdSide(
  context: ScenarioContext,
  name: string,
  dataDir: string,
  scratch: string,
  key: { privatePath: string; publicLine: string },
  limits: ContainerLimits,
): Promise<{ side: SshSide; owner: SshdPeer }> {
  const slug = name.replace(/\W+/g, '-');
  const workspaceDir = path.join(dataDir, `bench-${slug}`, 'workspace');
  await mkdir(workspaceDir, { recursive: true });
  await chown(workspaceDir, 1000, 1000);
  const peer = await SshdPeer.create({
    hostPort: await findFreePort(),
    workspaceDir,
    authorizedKey: key.publicLine,
    limits,
  });
  try {
    await peer.start();
    const target: SshTarget = {
      label: name,
      host: '127.0.0.1',
      port: peer.hostPort,
      user: 'studio',
      identityFile: key.privatePath,
      knownHostsFile: path.join(scratch, `known_hosts.${slug}`),
      hostKeyAlias: `studios-bench-${slug}`,
      extraOptions: diagnosisOptions(),
    };
    await writeKnownHosts(
      target.knownHostsFile,
      knownHostsLine(target.hostKeyAlias, await peer.hostPublicKey()),
    );
    await peer.untilAnswering(target);
    context.log(`S9 ${name}: ${peer.container} answering on 127.0.0.1:${peer.hostPort}`);
    return {
      side: {
        name,
        target,
        workspaceDir,
        sleep: () => peer.stop(),
        wake: () => peer.start(),
        cpuProbes: [
          containerProbe(`${name} container`, peer.container),
          processesProbe('docker-proxy', `docker-proxy .*-host-port ${peer.hostPort} `),
          processesProbe('dockerd', '^dockerd'),
          processesProbe('containerd', '^(/usr/bin/)?containerd'),
        ],
      },
      owner: peer,
    };
  } catch (error) {
    await peer[Symbol.asyncDispose]();
    throw error;
  }
}

/**
 * `S9_SSH_OPTIONS="Ciphers=aes128-gcm@openssh.com MACs=…"`: `-o` pairs for every client run on
 * both sides, to see what an algorithm choice is worth; the run's notes say it was set.
 */
function diagnosisOptions(): string[] {
  return (process.env.S9_SSH_OPTIONS ?? '').split(/\s+/).filter(Boolean);
}

/** What the connection agreed on, from one `ssh -v … true`. */
async function negotiated(target: SshTarget): Promise<string> {
  const run = await ssh(target, ['true'], ['LogLevel=DEBUG1']);
  return describeCiphers(parseNegotiatedAlgorithms(run.stderr));
}

async function sshVersion(): Promise<string> {
  const { stderr } = await execFileAsync('ssh', ['-V']);
  return stderr;
}

/** A failure carries the server's last warnings and errors, so the run says why. */
function withServerOutput(error: unknown, output: string): Error {
  const lines = output
    .split('\n')
    .filter((line) => /"level":"(warn|error)"/.test(line))
    .slice(-8);
  const base = error instanceof Error ? error : new Error(String(error));
  if (lines.length === 0) return base;
  return new Error(`${base.message}\n--- server warnings ---\n${lines.join('\n')}`, { cause: base });
}
