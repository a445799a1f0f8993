import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AGENT_INITIAL_WINDOW, ErrorCode, StudiosError } from '@studios/protocol';
import { LocalDriver } from '@studios/runtime';
import { waitFor } from '@studios/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentFiles } from '../client/agent-files';
import { agentDataDir, testAgentHub } from '../testing/agent-fixture';
import { FakeAgentDriver } from '../testing/fake-agent-driver';
import type { FakeAgentMode } from '../testing/fake-agent-script';
import type { AgentHub } from './agent-hub';
import { agentHostPaths } from './agent-runtime';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap plus buffers of this (the server's) process after full collections. */
async function retainedBytes(): Promise<number> {
  // Buffers freed by a collection leave the `arrayBuffers` count a moment later (V8 sweeps
  // their memory in the background): collect, let the sweep finish, collect again.
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** The deadlines this suite runs the hub with: short, so "never hangs" is checked in seconds. */
const CONNECT_MS = 3_000;
const HELLO_MS = 4_000;
const REPLY_MS = 1_500;
/** A request to a hostile agent fails within this: two agent starts (one retry), each with its deadline. */
const FAIL_WITHIN_MS = 2 * (CONNECT_MS + REPLY_MS) + 2_000;
/** The server may keep this much more memory after a case than before it (the fakes try 256 MB). */
const MEMORY_BUDGET = 24 * 1024 * 1024;

// The agent runs in a container its user controls, so the user can replace it with anything.
// Each case starts a fake agent (a real process, on the real socket, with the real token from its
// environment) that misbehaves in one way; the request fails with a StudiosError within its
// deadline, the server keeps its memory, the connection is closed, and a neighbour Studio with
// the real agent, in the same hub, is served throughout.
describe('an untrusted agent', { timeout: 60_000 }, () => {
  let data: Awaited<ReturnType<typeof agentDataDir>>;
  let driver: FakeAgentDriver;
  let hub: AgentHub;
  const neighbour = 'neighbour';
  let caseCounter = 0;

  beforeAll(async () => {
    data = await agentDataDir();
    const paths = agentHostPaths(data.dataDir);
    driver = new FakeAgentDriver(new LocalDriver({ agent: paths }), paths, data.dataDir);
    const made = testAgentHub(driver, data.dataDir, {
      connectTimeoutMs: CONNECT_MS,
      connection: { helloTimeoutMs: HELLO_MS, replyTimeoutMs: REPLY_MS },
    });
    hub = made.hub;
    writeFileSync(join(made.spec(neighbour).workspaceDir, 'hello.txt'), 'hello, neighbour\n');
    expect(await text((await hub.files(neighbour).read('hello.txt')).stream)).toBe('hello, neighbour\n');
  });

  afterAll(async () => {
    hub?.dispose();
    await driver?.dispose();
    data?.cleanup();
  });

  /** A new Studio whose agent is the fake in `mode`. */
  function hostileStudio(mode: FakeAgentMode): { id: string; files: AgentFiles } {
    caseCounter += 1;
    const id = `hostile-${caseCounter}-${mode}`;
    driver.setMode(id, mode);
    return { id, files: hub.files(id) };
  }

  /**
   * Runs `attack` while the neighbour Studio is read in a loop; fails if any neighbour request
   * failed, or none completed, and once more after the attack.
   */
  async function withNeighbourServed<T>(attack: () => Promise<T>): Promise<T> {
    let done = false;
    let served = 0;
    const failures: unknown[] = [];
    const loop = (async () => {
      while (!done) {
        try {
          const { stream } = await hub.files(neighbour).read('hello.txt');
          if ((await text(stream)) !== 'hello, neighbour\n')
            throw new Error('neighbour read the wrong bytes');
          served += 1;
        } catch (error) {
          failures.push(error);
        }
      }
    })();
    try {
      return await attack();
    } finally {
      done = true;
      await loop;
      expect(failures).toEqual([]);
      expect(served).toBeGreaterThan(0);
      expect((await hub.files(neighbour).stat('hello.txt')).size).toBe(17);
    }
  }

  /** The rejection of `work`, checked to be a StudiosError that came within the deadline. */
  async function failsClearly(work: () => Promise<unknown>, code: ErrorCode = ErrorCode.RuntimeError) {
    const started = Date.now();
    const error = await work().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(Date.now() - started).toBeLessThan(FAIL_WITHIN_MS);
    expect(error).toBeInstanceOf(StudiosError);
    expect((error as StudiosError).code).toBe(code);
    return error as StudiosError;
  }

  /** The fake's connections were all closed by the server, and it has none now. */
  async function closedByServer(id: string): Promise<void> {
    await waitFor(() => driver.reports.get(id)?.some((line) => line.startsWith('closed')), {
      timeoutMs: HELLO_MS + 5_000,
      what: `the server closing ${id}'s connection`,
    });
    expect(hub.where(id)).toBeUndefined();
  }

  async function withinMemory<T>(attack: () => Promise<T>): Promise<T> {
    const before = await retainedBytes();
    const result = await attack();
    expect((await retainedBytes()) - before).toBeLessThan(MEMORY_BUDGET);
    return result;
  }

  it('(a) garbage bytes end the connection; the request fails clearly', async () => {
    const { id, files } = hostileStudio('garbage');
    const error = await withinMemory(() =>
      withNeighbourServed(() => failsClearly(() => files.stat('a.txt'))),
    );
    expect(error.message).toMatch(/agent went away \(.*frame/);
    await closedByServer(id);
  });

  it('(b) a frame header announcing a 4 GB payload is refused before any of it is buffered', async () => {
    const { id, files } = hostileStudio('huge-frame');
    const error = await withinMemory(() =>
      withNeighbourServed(() => failsClearly(() => files.stat('a.txt'))),
    );
    expect(error.message).toMatch(/frame of 4294967280 bytes exceeds/);
    await closedByServer(id);
  });

  it('(c) an unknown frame type ends the connection', async () => {
    const { id, files } = hostileStudio('unknown-type');
    const error = await withNeighbourServed(() => failsClearly(() => files.stat('a.txt')));
    expect(error.message).toMatch(/unknown frame type 42/);
    await closedByServer(id);
  });

  it('(d) DATA beyond the window of a download nobody reads ends the connection, not the memory', async () => {
    const { id, files } = hostileStudio('overrun');
    const error = await withinMemory(() =>
      withNeighbourServed(async () => {
        // A slow client: the download is opened but not read, so nothing is acknowledged.
        const { stream } = await files.read('big.bin');
        return failsClearly(() => streamError(stream));
      }),
    );
    expect(error.message).toMatch(/overran the channel window/);
    await closedByServer(id);
  });

  it('(e) a flood of watch messages is cut at the window; the watcher saw a bounded number', async () => {
    const { id, files } = hostileStudio('watch-flood');
    let batches = 0;
    await withinMemory(() =>
      withNeighbourServed(async () => {
        await files.stat('a.txt'); // an agent runs: the passive watch attaches to it
        const watch = hub.watch(
          id,
          () => {
            batches += 1;
          },
          () => {},
        );
        try {
          await closedByServer(id);
        } finally {
          watch.dispose();
        }
      }),
    );
    // Every batch costs the agent at least 40 bytes of its 1 MiB window, which is never reopened
    // faster than 50 batches a second.
    expect(batches).toBeGreaterThan(0);
    expect(batches).toBeLessThan(AGENT_INITIAL_WINDOW / 40);
  });

  it('(e) a flood of pings from an agent that reads nothing is cut, not answered into memory', async () => {
    const { id, files } = hostileStudio('ping-flood');
    const error = await withinMemory(() =>
      withNeighbourServed(() => failsClearly(() => files.stat('a.txt'))),
    );
    expect(error.message).toMatch(/agent went away/);
    await closedByServer(id);
  });

  it('(d) DATA for a channel already closed ends the connection once past its window', async () => {
    const { id, files } = hostileStudio('late-data');
    await withinMemory(() =>
      withNeighbourServed(async () => {
        // The stat is answered (and its channel closed); what follows for it is a flood.
        expect((await files.stat('a.txt')).size).toBe(1);
        await closedByServer(id);
      }),
    );
  });

  it('(d) endless empty DATA frames, free of window, end the connection', { timeout: 20_000 }, async () => {
    const { id, files } = hostileStudio('empty-data');
    const error = await withinMemory(() =>
      withNeighbourServed(async () => {
        const { stream } = await files.read('big.bin');
        return failsClearly(() => streamError(stream));
      }),
    );
    expect(error.message).toMatch(/empty DATA/);
    await closedByServer(id);
  });

  it('(d) a flood of WINDOW frames granting what was never sent ends the connection', async () => {
    const { id, files } = hostileStudio('window-flood');
    const error = await withNeighbourServed(() => failsClearly(() => files.stat('a.txt')));
    expect(error.message).toMatch(/WINDOW beyond what was sent/);
    await closedByServer(id);
  });

  it('(e) listings filled at once, each within its cap, hold no more than one budget of memory', async () => {
    const { id, files } = hostileStudio('list-flood');
    const baseline = await retainedBytes();
    let peak = 0;
    // Collected now and then while the listings fill, so the peak counts live buffers only.
    const sampler = setInterval(() => {
      gc();
      const usage = process.memoryUsage();
      peak = Math.max(peak, usage.heapUsed + usage.arrayBuffers - baseline);
    }, 100);
    const results = await withinMemory(() =>
      withNeighbourServed(() => Promise.allSettled(Array.from({ length: 12 }, () => files.list()))),
    ).finally(() => clearInterval(sampler));
    // 12 × 31 MB were on offer (372 MB); the replies held at once stay within the 64 MB budget.
    expect(peak).toBeLessThan(120 * 1024 * 1024);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect(result.status === 'rejected' && result.reason).toBeInstanceOf(StudiosError);
    }
    expect(
      results.some(
        (result) => result.status === 'rejected' && /of replies at once/.test(result.reason.message),
      ),
    ).toBe(true);
    // The agent kept to its windows: over budget is the server refusing more, not the agent
    // breaking the protocol, so the connection stays.
    expect(hub.where(id)).toBe('studio');
  });

  it('(e) downloads nobody reads, each filled to its window, are capped per Studio', async () => {
    const { files } = hostileStudio('read-fill');
    const baseline = await retainedBytes();
    let peak = 0;
    const sampler = setInterval(() => {
      gc();
      const usage = process.memoryUsage();
      peak = Math.max(peak, usage.heapUsed + usage.arrayBuffers - baseline);
    }, 100);
    const opened: Readable[] = [];
    const refused: unknown[] = [];
    try {
      await withNeighbourServed(async () => {
        for (let i = 0; i < 200; i++) {
          await files.read(`big-${i}.bin`).then(
            ({ stream }) => opened.push(stream),
            (error: unknown) => refused.push(error),
          );
        }
        // Each open download has had its window's worth: what slow readers leave waiting.
        await waitFor(() => opened.every((stream) => stream.readableLength > 0), {
          what: 'downloads filled',
        });
      });
    } finally {
      clearInterval(sampler);
      for (const stream of opened) stream.destroy();
    }
    expect(opened).toHaveLength(64);
    expect(refused).toHaveLength(136);
    expect(
      refused.every((error) => error instanceof StudiosError && /downloads under way/.test(error.message)),
    ).toBe(true);
    // 200 × 1 MB were on offer; 64 windows are what the server holds.
    expect(peak).toBeLessThan(110 * 1024 * 1024);
  });

  it('(f) a malformed reply header ends the connection', async () => {
    const { id, files } = hostileStudio('malformed-reply');
    const error = await withNeighbourServed(() => failsClearly(() => files.stat('a.txt')));
    expect(error.message).toMatch(/malformed fs\.stat reply/);
    await closedByServer(id);
  });

  it('(f) a failure code no agent operation can meet (unauthorized) is a broken agent, not a 401', async () => {
    const { id, files } = hostileStudio('foreign-failure');
    const error = await withNeighbourServed(() => failsClearly(() => files.stat('a.txt')));
    expect(error.message).toMatch(/malformed fs\.stat reply/);
    await closedByServer(id);
  });

  it('(g) an agent that never answers fails the request at its deadline and is replaced', async () => {
    const { id, files } = hostileStudio('silent');
    const error = await withNeighbourServed(() => failsClearly(() => files.stat('a.txt')));
    expect(error.message).toMatch(/no answer to fs\.stat within 1\.5 s/);
    await closedByServer(id);
  });

  it('(g) an upload to an agent that never reads fails at the deadline instead of hanging', async () => {
    const { id, files } = hostileStudio('silent');
    const body = Buffer.alloc(4 * AGENT_INITIAL_WINDOW, 0x62);
    const error = await withNeighbourServed(() =>
      failsClearly(() => files.write('upload.bin', body, { maxBytes: body.length })),
    );
    expect(error.message).toMatch(/agent (stopped reading|went away)/);
    await closedByServer(id);
  });

  it('(g) a reply header followed by silence fails the listing at the deadline', async () => {
    const { id, files } = hostileStudio('stall-after-header');
    const error = await withNeighbourServed(() => failsClearly(() => files.list()));
    expect(error.message).toMatch(/agent went away/);
    await closedByServer(id);
  });

  it('(g) a download whose agent stops sending fails at the deadline while its reader waits', async () => {
    const { id, files } = hostileStudio('stall-after-header');
    const error = await withNeighbourServed(async () => {
      const { stream } = await files.read('big.bin');
      return failsClearly(() => text(stream));
    });
    expect(error.message).toMatch(/no data for fs\.read within 1\.5 s/);
    await closedByServer(id);
  });

  it('(g) requests beyond the channel limit of a stalled agent fail by name, not with a raw error', async () => {
    const { id, files } = hostileStudio('silent');
    // 520 at once on an agent that answers none: 512 channels may be open; the rest are refused.
    const results = await withNeighbourServed(() =>
      Promise.allSettled(Array.from({ length: 520 }, (_, i) => files.stat(`f-${i}.txt`))),
    );
    const errors = results.map((result) => (result.status === 'rejected' ? result.reason : undefined));
    expect(errors.every((error) => error instanceof StudiosError)).toBe(true);
    expect(errors.filter((error) => /cannot take more at once/.test(String(error?.message))).length).toBe(8);
    await closedByServer(id);
  });

  it('(h) a wrong token is refused and its connection closed at once', async () => {
    const { id, files } = hostileStudio('wrong-token');
    const error = await withNeighbourServed(() => failsClearly(() => files.stat('a.txt')));
    expect(error.message).toMatch(/did not start within 3 s/);
    await closedByServer(id);
    const closedAfter = Number(driver.reports.get(id)?.[0]?.split(' ')[1]);
    expect(closedAfter).toBeLessThan(HELLO_MS);
  });

  it('(h) a connection that never finishes its hello is closed at the hello deadline', async () => {
    const { id, files } = hostileStudio('no-hello');
    await withinMemory(() => withNeighbourServed(() => failsClearly(() => files.stat('a.txt'))));
    await closedByServer(id);
    const closedAfter = Number(driver.reports.get(id)?.[0]?.split(' ')[1]);
    expect(closedAfter).toBeGreaterThan(HELLO_MS - 200);
    expect(closedAfter).toBeLessThan(HELLO_MS + 1_000);
  });

  it('(h) a flood of connections that never say hello is turned away without holding their bytes', async () => {
    const { id, files } = hostileStudio('connection-flood');
    await withinMemory(() =>
      withNeighbourServed(async () => {
        expect((await files.stat('a.txt')).size).toBe(1);
        await waitFor(() => driver.reports.get(id)?.find((line) => line.startsWith('flood')), {
          timeoutMs: 10_000,
          what: 'every flood connection closed',
        });
      }),
    );
    const median = Number(
      driver.reports
        .get(id)
        ?.find((line) => line.startsWith('flood'))
        ?.split(' ')[1],
    );
    // Turned away on arrival, not held until the hello deadline.
    expect(median).toBeLessThan(HELLO_MS / 2);
    // The real agent connection itself still serves.
    expect((await files.stat('a.txt')).size).toBe(1);
  });

  it('(i) an agent that dies right after connecting is restarted with backoff, then a good one serves', async () => {
    const { id, files } = hostileStudio('die-after-hello');
    const started = Date.now();
    await withNeighbourServed(async () => {
      // Someone keeps asking for 6 s: the supervisor keeps restarting, ever more slowly.
      while (Date.now() - started < 6_000) {
        await files.stat('a.txt').then(
          () => {
            throw new Error('a dead agent answered');
          },
          (error: unknown) => expect(error).toBeInstanceOf(StudiosError),
        );
      }
    });
    const starts = driver.starts.get(id) ?? [];
    // Without backoff a start every few ms; with 0.5, 1, 2, 4 s pauses, at most 5 in 6 s.
    expect(starts.length).toBeGreaterThanOrEqual(3);
    expect(starts.length).toBeLessThanOrEqual(5);
    const gaps = starts.slice(1).map((at, i) => at - (starts[i] as number));
    expect(gaps.at(-1)).toBeGreaterThan(gaps[0] as number);

    driver.setMode(id, undefined);
    writeFileSync(join(data.dataDir, 'studios', id, 'workspace', 'a.txt'), 'alive\n');
    const entry = await waitFor(() => files.stat('a.txt'), {
      timeoutMs: 20_000,
      what: 'a good agent serving',
    });
    expect(entry.size).toBe(6);
  });
});

/** The error a stream ends with (rejects with it; resolves if the stream ends cleanly). */
function streamError(stream: Readable): Promise<never> {
  return new Promise((_resolve, reject) => {
    stream.once('error', reject);
    stream.once('end', () => reject(new Error('the stream ended cleanly')));
  });
}
