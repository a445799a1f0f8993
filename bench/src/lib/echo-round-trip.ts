import { spawn } from 'node:child_process';
import { median } from './stats';

/**
 * Ping-pong through a command that echoes its stdin (`ssh host cat`, `docker exec -i c cat`):
 * one 64-byte message at a time, the next sent when the previous came back whole. Resolves with
 * the median round trip in ms over `count` messages after `warmup` unmeasured ones.
 */
export function echoRoundTrip(
  command: string,
  args: readonly string[],
  options: { count: number; warmup?: number; timeoutMs?: number },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const message = Buffer.alloc(64, 'x');
    const warmup = options.warmup ?? 20;
    const times: number[] = [];
    let sentAt = 0;
    let received = 0;
    let sent = 0;
    let stderr = '';
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.stdin.end();
      child.kill('SIGTERM');
      if (error) reject(error);
      else resolve(median(times));
    };
    const timer = setTimeout(
      () =>
        finish(
          new Error(`${command} echo: ${times.length} of ${options.count} round trips in time: ${stderr}`),
        ),
      options.timeoutMs ?? 60_000,
    );
    const send = () => {
      sent++;
      sentAt = performance.now();
      child.stdin.write(message);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received < message.length) return;
      const at = performance.now();
      received -= message.length;
      if (sent > warmup) times.push(at - sentAt);
      if (times.length >= options.count) finish();
      else send();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2_000);
    });
    child.stdin.on('error', () => {});
    child.once('error', (error) => finish(error));
    child.once('exit', (code) => finish(new Error(`${command} echo exited with ${code}: ${stderr}`)));
    send();
  });
}
