/** Pure parts of S9 (SSH transfers): rates, the small-file tree, sftp batches, OpenSSH's debug output. */

/** Throughput in MB/s (10^6 bytes per second), as S11 and the issue count it. */
export function mbPerSecond(bytes: number, ms: number): number {
  return ms > 0 ? bytes / 1e6 / (ms / 1000) : Number.NaN;
}

/** Items per second from a count and a duration in ms. */
export function perSecond(count: number, ms: number): number {
  return ms > 0 ? count / (ms / 1000) : Number.NaN;
}

/**
 * Sizes of the small-file tree: `count` files of `min`–`max` bytes, the same on every run
 * (mulberry32 from `seed`), so both contenders and every round copy exactly the same tree.
 */
export function smallFileSizes(count: number, seed = 9, min = 1024, max = 4096): number[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => min + Math.floor(next() * (max - min + 1)));
}

/** Where file `index` of the tree goes: 10 folders, so no one directory listing is huge. */
export function smallFilePath(index: number, folders = 10): string {
  return `d${index % folders}/f${String(index).padStart(4, '0')}.bin`;
}

/**
 * An `sftp -b` batch file. Paths are quoted because sftp splits its batch lines on spaces;
 * a leading `-` on a line would make a failing command non-fatal, which the bench never wants.
 */
export function sftpBatch(commands: ReadonlyArray<readonly [verb: string, ...paths: string[]]>): string {
  const quote = (value: string) => `"${value.replace(/(["\\])/g, '\\$1')}"`;
  return `${commands.map(([verb, ...paths]) => [verb, ...paths.map(quote)].join(' ')).join('\n')}\n`;
}

/** The ciphers and MACs a connection negotiated, per direction, from `ssh -v` on stderr. */
export interface NegotiatedAlgorithms {
  kex?: string;
  clientToServer?: { cipher: string; mac: string };
  serverToClient?: { cipher: string; mac: string };
}

/**
 * Reads OpenSSH's own debug lines (`debug1: kex: algorithm: …`, `debug1: kex: server->client
 * cipher: … MAC: … compression: …`), which name what was agreed, not what was offered.
 */
export function parseNegotiatedAlgorithms(verboseStderr: string): NegotiatedAlgorithms {
  const found: NegotiatedAlgorithms = {};
  for (const line of verboseStderr.split(/\r?\n/)) {
    const kex = /debug1: kex: algorithm: (\S+)/.exec(line);
    if (kex?.[1]) found.kex = kex[1];
    const cipher = /debug1: kex: (client->server|server->client) cipher: (\S+) MAC: (\S+)/.exec(line);
    if (cipher?.[2] && cipher[3]) {
      const pair = { cipher: cipher[2], mac: cipher[3] };
      if (cipher[1] === 'client->server') found.clientToServer = pair;
      else found.serverToClient = pair;
    }
  }
  return found;
}

/** `aes128-gcm@openssh.com` both ways, or `a ↑ / b ↓` when the directions differ. */
export function describeCiphers(algorithms: NegotiatedAlgorithms): string {
  const up = algorithms.clientToServer;
  const down = algorithms.serverToClient;
  if (!up || !down) return 'unknown';
  const name = (pair: { cipher: string; mac: string }) =>
    pair.mac === '<implicit>' ? pair.cipher : `${pair.cipher} + ${pair.mac}`;
  return name(up) === name(down) ? name(up) : `${name(up)} ↑ / ${name(down)} ↓`;
}

/** A known_hosts line pinning `publicKeyLine` (`<algorithm> <base64> [comment]`) under an alias. */
export function knownHostsLine(alias: string, publicKeyLine: string): string {
  const [algorithm, base64] = publicKeyLine.trim().split(/\s+/);
  if (!algorithm || !base64) throw new Error(`not an OpenSSH public key line: "${publicKeyLine}"`);
  return `${alias} ${algorithm} ${base64}`;
}
