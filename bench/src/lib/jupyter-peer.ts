import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { docker } from './docker-cli';
import { type ConnectionInfo, connectionInfo } from './notebook-run';

const run = promisify(execFile);

/**
 * Debian's Python, where apt installs the peer's jupyter_client (`python3` on PATH may be
 * another interpreter, e.g. a pyenv shim, that cannot see Debian's packages).
 */
export const HOST_PYTHON = '/usr/bin/python3';

/** The Debian package that provides the peer's `jupyter_client` on the host. */
export const JUPYTER_CLIENT_PACKAGE = 'python3-jupyter-client';

async function hostHasJupyterClient(): Promise<boolean> {
  return run(HOST_PYTHON, ['-c', 'import jupyter_client, zmq']).then(
    () => true,
    () => false,
  );
}

/**
 * Makes sure the host's python3 can import jupyter_client (the S8 peer), installing Debian's
 * package with apt-get when running as root. Returns why it cannot, or undefined when it can.
 */
export async function ensureJupyterClient(log: (message: string) => void): Promise<string | undefined> {
  if (await hostHasJupyterClient()) return undefined;
  if (process.getuid?.() !== 0) {
    return `the peer needs ${JUPYTER_CLIENT_PACKAGE} on the host (${HOST_PYTHON} cannot import jupyter_client); as root: apt-get install -y ${JUPYTER_CLIENT_PACKAGE}`;
  }
  log(`installing ${JUPYTER_CLIENT_PACKAGE} with apt-get (the S8 peer)…`);
  const install = () =>
    run('apt-get', ['install', '-y', '--no-install-recommends', JUPYTER_CLIENT_PACKAGE], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      maxBuffer: 64 * 1024 * 1024,
    });
  try {
    await install();
  } catch {
    // Stale package lists are the usual reason; refresh once and try again.
    await run('apt-get', ['update'], { maxBuffer: 64 * 1024 * 1024 }).catch(() => undefined);
    await install().catch((error: unknown) => log(`apt-get install failed: ${String(error).slice(0, 500)}`));
  }
  return (await hostHasJupyterClient())
    ? undefined
    : `apt-get install ${JUPYTER_CLIENT_PACKAGE} did not give ${HOST_PYTHON} a working jupyter_client`;
}

/** One execution as the peer saw it. */
export interface PeerExecution {
  status: string;
  executionCount: number | null;
  streamChars: number;
  result: string | null;
  /** The same round trip timed inside the Python client (no pipe to the bench). */
  pythonMs: number;
}

/**
 * The S8 peer: an ipykernel started in the Studio's own container (same image, same limits,
 * next to the Studio's kernel) on ports of the container's address, driven by the stock
 * `jupyter_client` on the host over ZeroMQ (src/peers/jupyter-peer.py).
 */
export class JupyterPeer implements AsyncDisposable {
  private readonly pending: Array<(line: string) => void> = [];
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly container: string,
    private readonly remoteFile: string,
    private readonly hostDir: string,
    private stderr: { text: string },
  ) {}

  /** Starts the kernel in `container` and the client on the host; resolves once the kernel answers. */
  static async start(options: { container: string; benchDir: string }): Promise<JupyterPeer> {
    const { container } = options;
    const ip = (
      await docker('inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}', container)
    )
      .trim()
      .split(/\s+/)[0];
    if (!ip) throw new Error(`container ${container} has no IP address for the peer to dial`);
    const base = 40000 + Math.floor(Math.random() * 20000);
    const kernelSide: ConnectionInfo = connectionInfo('0.0.0.0', base);
    const clientSide: ConnectionInfo = { ...kernelSide, ip };
    const remoteFile = `/tmp/studios-bench-peer-kernel-${base}.json`;
    // The kernel as a Studio kernelspec starts it: python3 -m ipykernel_launcher -f <file>.
    await docker(
      'exec',
      container,
      'python3',
      '-c',
      'import sys; open(sys.argv[1], "w").write(sys.argv[2])',
      remoteFile,
      JSON.stringify(kernelSide),
    );
    await docker(
      'exec',
      '-d',
      '-w',
      '/tmp',
      container,
      'python3',
      '-m',
      'ipykernel_launcher',
      '-f',
      remoteFile,
    );
    const hostDir = await mkdtemp(path.join(os.tmpdir(), 'studios-bench-s8-'));
    const hostFile = path.join(hostDir, 'connection.json');
    await writeFile(hostFile, JSON.stringify(clientSide), { mode: 0o600 });
    const script = path.join(options.benchDir, 'src', 'peers', 'jupyter-peer.py');
    const child = spawn(HOST_PYTHON, [script, hostFile], { stdio: ['pipe', 'pipe', 'pipe'] });
    const stderr = { text: '' };
    child.stderr.on('data', (chunk: Buffer) => {
      stderr.text = (stderr.text + chunk.toString('utf8')).slice(-4_000);
    });
    const peer = new JupyterPeer(child, container, remoteFile, hostDir, stderr);
    createInterface({ input: child.stdout }).on('line', (line) => peer.pending.shift()?.(line));
    try {
      const ready = await peer.nextLine(90_000);
      if (!JSON.parse(ready).ready) throw new Error(`unexpected first line from the peer: ${ready}`);
    } catch (error) {
      await peer[Symbol.asyncDispose]();
      throw error;
    }
    return peer;
  }

  /** Sends one execute and resolves when the client has the reply, the idle and every output. */
  async execute(code: string, timeoutMs = 120_000): Promise<PeerExecution> {
    const answer = this.nextLine(timeoutMs);
    this.child.stdin.write(`${JSON.stringify({ code })}\n`);
    return JSON.parse(await answer) as PeerExecution;
  }

  private nextLine(timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`the jupyter_client peer did not answer in ${timeoutMs} ms: ${this.stderr.text}`)),
        timeoutMs,
      );
      const exited = () => reject(new Error(`the jupyter_client peer exited: ${this.stderr.text}`));
      this.child.once('exit', exited);
      this.pending.push((line) => {
        clearTimeout(timer);
        this.child.off('exit', exited);
        resolve(line);
      });
    });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.child.stdin.end();
    this.child.kill('SIGTERM');
    // The kernel goes with its Studio anyway; end it now so it does not compete with the next scenario.
    await docker('exec', this.container, 'pkill', '-f', this.remoteFile).catch(() => undefined);
    await rm(this.hostDir, { recursive: true, force: true });
  }
}
