import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { ErrorCode, StudiosError } from '@studios/protocol';
import type { RuntimeDriver } from '@studios/runtime';
import { z } from 'zod';
import type { KernelPortNumbers } from '../ports/kernel-ports';
import type { StudioKernelSpec } from './kernelspecs';
import { lastJsonLine, runInStudio } from './run-in-studio';

/**
 * Starts a kernelspec's argv inside the Studio, detached from the exec that starts it
 * (`start_new_session`: its own session and process group, so it outlives the exec and the
 * server). The connection file goes to the Studio user's Jupyter runtime dir (0700 folder, 0600
 * file), never into /workspace where it would be shared and committed. The script waits until
 * every port accepts connections, or reports the kernel's exit and the end of its log.
 * Connection files: https://jupyter-client.readthedocs.io/en/stable/kernels.html#connection-files
 */
const LAUNCH_KERNEL = `
import json, os, socket, subprocess, sys, time
request = json.loads(sys.argv[1])
try:
    from jupyter_core.paths import jupyter_runtime_dir
    runtime = jupyter_runtime_dir()
except Exception:
    runtime = os.path.join(os.path.expanduser("~"), ".local", "share", "jupyter", "runtime")
os.makedirs(runtime, mode=0o700, exist_ok=True)
path = os.path.join(runtime, "kernel-studios-%s.json" % request["id"])
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
os.fchmod(fd, 0o600)
with os.fdopen(fd, "w") as out:
    json.dump(request["connection"], out)
log_path = path[:-5] + ".log"
log = open(log_path, "ab")
cwd = os.path.join(os.getcwd(), request["cwd"])
env = dict(os.environ)
env.update(request["env"])
argv = [arg.replace("{connection_file}", path) for arg in request["argv"]]
try:
    kernel = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd=cwd if os.path.isdir(cwd) else None, env=env, start_new_session=True, close_fds=True)
except OSError as error:
    os.unlink(path)
    print(json.dumps({"exited": -1, "log": str(error)}))
    raise SystemExit(0)
ports = [request["connection"][name] for name in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")]
deadline = time.time() + request["timeout"]
while time.time() < deadline:
    if kernel.poll() is not None:
        break
    try:
        for port in ports:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
    except OSError:
        time.sleep(0.05)
        continue
    print(json.dumps({"pid": kernel.pid, "connectionFile": path}))
    raise SystemExit(0)
if kernel.poll() is None:
    kernel.kill()
code = kernel.wait()
os.unlink(path)
with open(log_path, "rb") as tail:
    print(json.dumps({"exited": code, "log": tail.read()[-2000:].decode("utf8", "replace")}))
`;

/** The connection file's content (the server keeps it to reconnect after its own restart). */
export const ConnectionInfo = z.object({
  ip: z.string(),
  transport: z.literal('tcp'),
  shell_port: z.number().int(),
  iopub_port: z.number().int(),
  stdin_port: z.number().int(),
  control_port: z.number().int(),
  hb_port: z.number().int(),
  key: z.string(),
  signature_scheme: z.literal('hmac-sha256'),
  kernel_name: z.string(),
});
export type ConnectionInfo = z.infer<typeof ConnectionInfo>;

/** A kernel process running in a Studio. */
export interface KernelProcess {
  pid: number;
  connectionFile: string;
  connection: ConnectionInfo;
}

const LaunchResult = z.union([
  z.object({ pid: z.number().int().positive(), connectionFile: z.string().max(4096) }),
  z.object({ exited: z.number().int(), log: z.string().max(8192) }),
]);

/** Ports the server picks inside the Studio: unprivileged, away from common dev-server ports. */
function pickPorts(): KernelPortNumbers {
  const ports = new Set<number>();
  while (ports.size < 5) ports.add(randomInt(30_000, 60_000));
  const [shell, iopub, stdin, control, hb] = [...ports] as [number, number, number, number, number];
  return { shell, iopub, stdin, control, hb };
}

/** The channel → port table of a connection file. */
export function portsOf(connection: ConnectionInfo): KernelPortNumbers {
  return {
    shell: connection.shell_port,
    iopub: connection.iopub_port,
    stdin: connection.stdin_port,
    control: connection.control_port,
    hb: connection.hb_port,
  };
}

/**
 * Launches `spec` in the Studio, with `cwd` (workspace-relative) the notebook's folder. Ports
 * taken inside the Studio make the kernel exit at once; it is tried again on new ports.
 * `connection` reuses a previous kernel's ports and key (a restart keeps its clients connected).
 */
export async function launchKernel(
  driver: RuntimeDriver,
  studioId: string,
  spec: StudioKernelSpec,
  options: { cwd: string; connection?: ConnectionInfo; attempts?: number; readyTimeoutMs?: number },
): Promise<KernelProcess> {
  const attempts = options.attempts ?? 3;
  let lastLog = '';
  for (let attempt = 0; attempt < attempts; attempt++) {
    const connection = attempt === 0 && options.connection ? options.connection : newConnection(spec.name);
    const request = {
      id: randomUUID(),
      connection,
      argv: spec.argv,
      env: spec.env,
      cwd: options.cwd,
      timeout: (options.readyTimeoutMs ?? 60_000) / 1000,
    };
    const result = await runInStudio(
      driver,
      studioId,
      ['python3', '-c', LAUNCH_KERNEL, JSON.stringify(request)],
      {
        timeoutMs: (options.readyTimeoutMs ?? 60_000) + 10_000,
      },
    );
    const launched = LaunchResult.safeParse(lastJsonLine(result.stdout));
    if (!launched.success) {
      throw new StudiosError(
        ErrorCode.KernelUnavailable,
        `The kernel ${spec.name} could not start: ${result.stderr.trim().slice(-500) || 'no answer'}`,
      );
    }
    if ('pid' in launched.data) return { ...launched.data, connection };
    lastLog = launched.data.log;
  }
  throw new StudiosError(
    ErrorCode.KernelUnavailable,
    `The kernel ${spec.name} exited while starting: ${lastLog.trim().slice(-1000)}`,
  );
}

function newConnection(kernelName: string): ConnectionInfo {
  const ports = pickPorts();
  return {
    ip: '127.0.0.1',
    transport: 'tcp',
    shell_port: ports.shell,
    iopub_port: ports.iopub,
    stdin_port: ports.stdin,
    control_port: ports.control,
    hb_port: ports.hb,
    key: randomBytes(32).toString('hex'),
    signature_scheme: 'hmac-sha256',
    kernel_name: kernelName,
  };
}

/**
 * Whether `pid` is still this kernel: pids are reused (a Studio restart ends every process), so
 * its command line must name the connection file too.
 */
export async function kernelAlive(
  driver: RuntimeDriver,
  studioId: string,
  kernel: KernelProcess,
): Promise<boolean> {
  const script = 'tr "\\0" " " < "/proc/$1/cmdline" | grep -qF -- "$2"';
  const result = await runInStudio(
    driver,
    studioId,
    ['sh', '-c', script, 'sh', String(kernel.pid), kernel.connectionFile],
    {
      timeoutMs: 10_000,
    },
  );
  return result.code === 0;
}

/**
 * Sends SIGINT to the kernel's process group, as jupyter_client does (a kernelspec's argv may be a
 * wrapper script), or to the kernel alone when that fails. For `interrupt_mode: signal`.
 */
export async function signalInterrupt(
  driver: RuntimeDriver,
  studioId: string,
  kernel: KernelProcess,
): Promise<void> {
  const script = 'kill -INT -- "-$1" 2>/dev/null || kill -INT "$1"';
  await runInStudio(driver, studioId, ['sh', '-c', script, 'sh', String(kernel.pid)], { timeoutMs: 10_000 });
}

/**
 * Ends the kernel: waits up to `graceMs` for it to exit by itself (after a shutdown_request it
 * is finishing up, e.g. its history), then kills its whole process group (it leads its own
 * session) — only while the pid is still this kernel — and removes its connection file and log.
 */
export async function killKernel(
  driver: RuntimeDriver,
  studioId: string,
  kernel: KernelProcess,
  graceMs = 0,
): Promise<void> {
  const log = kernel.connectionFile.replace(/\.json$/, '.log');
  const script = [
    'ours() { tr "\\0" " " < "/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2"; }',
    'n=0; while [ "$n" -lt "$4" ] && ours "$1" "$2"; do sleep 0.05; n=$((n+1)); done',
    'if ours "$1" "$2"; then kill -KILL -- "-$1" 2>/dev/null; kill -KILL "$1" 2>/dev/null; fi',
    'rm -f -- "$2" "$3"; true',
  ].join('\n');
  const polls = String(Math.ceil(graceMs / 50));
  await runInStudio(
    driver,
    studioId,
    ['sh', '-c', script, 'sh', String(kernel.pid), kernel.connectionFile, log, polls],
    { timeoutMs: 10_000 + graceMs },
  );
}
