import type { ClientChannel, ParsedKey } from 'ssh2';
import ssh2 from 'ssh2';

/** ssh2's Client logged in with `key`: for what the OpenSSH client cannot do on demand (resize). */
export function connectClient(port: number, username: string, key: ParsedKey): Promise<ssh2.Client> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.once('ready', () => resolve(client));
    client.once('error', reject);
    client.connect({
      host: '127.0.0.1',
      port,
      username,
      readyTimeout: 10_000,
      // The openssh_* requests are refused by ssh2 itself towards a server not named OpenSSH.
      strictVendor: false,
      authHandler: [{ type: 'publickey', username, key }] as never,
    });
  });
}

/** Opens a shell on a PTY of this size; `output()` is everything printed so far. */
export function openShell(
  client: ssh2.Client,
  size: { rows: number; cols: number },
): Promise<{ channel: ClientChannel; output: () => string }> {
  return new Promise((resolve, reject) => {
    client.shell({ term: 'xterm-256color', rows: size.rows, cols: size.cols }, (error, channel) => {
      if (error) return reject(error);
      const chunks: Buffer[] = [];
      channel.on('data', (chunk: Buffer) => chunks.push(chunk));
      channel.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
      resolve({ channel, output: () => Buffer.concat(chunks).toString() });
    });
  });
}
