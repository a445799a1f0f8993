import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { alternate } from '../lib/alternate';
import { startHostFilePeer } from '../lib/host-file-peer';
import { downloadBytes, uploadBytes } from '../lib/http-transfer';
import { compareRounds, type MetricResult } from '../lib/metrics';
import { roundsFor, type ScenarioContext } from '../lib/scenario';
import type { StudiosSession } from '../lib/studios-api';

/** Decimal megabytes, as S5 counts them: 100 MB stays under the route's 100 MiB upload limit. */
const CHUNK_BYTES = 1_000_000;
const FILE_NAME = 'upload.bin';

interface TransferSample {
  uploadMegabytesPerSecond: number;
  downloadMegabytesPerSecond: number;
}

/** A Studio on a running Studios server, and where its workspace is on the host. */
export interface ServedStudio {
  session: StudiosSession;
  studioId: string;
  workspaceDir: string;
}

/**
 * S11, upload and download: `PUT/GET /api/studios/:id/files/content` of a real server (through
 * its agent) against a plain Node HTTP server writing and reading the host file directly, both
 * child processes on loopback, driven by the same client code.
 */
export async function measureTransfers(
  context: ScenarioContext,
  studio: ServedStudio,
  runtime: 'docker' | 'local',
): Promise<MetricResult[]> {
  const megabytes = context.quick ? 20 : 100;
  const bytes = megabytes * CHUNK_BYTES;
  // Not zeros: nothing on the way compresses, but a pattern catches a shifted or repeated chunk.
  const chunk = Buffer.alloc(CHUNK_BYTES);
  for (let index = 0; index < chunk.length; index++) chunk[index] = (index * 7) % 251;
  const chunks = Array.from({ length: megabytes }, () => chunk);
  const expectedHash = sha256OfChunks(chunks);
  const floorRoot = await mkdtemp(path.join(os.tmpdir(), 'studios-bench-floor-'));
  try {
    await using floor = await startHostFilePeer({ benchDir: context.benchDir, root: floorRoot });
    context.note(
      `upload/download: ${megabytes} MB (${megabytes} × 1,000,000-byte chunks) per round, ${runtime} runtime; Studios = ` +
        'PUT then GET /api/studios/:id/files/content on a real server (agent inside the running Studio); floor = ' +
        'a plain node:http server (src/peers/host-file-server.ts, its own process) streaming the same bytes to a ' +
        'temp file + rename and back from the host file; same node:http client, one connection per transfer; ' +
        'MB/s = 10^6 bytes / s from request start to the last byte of the response; each upload is checked by SHA-256 ' +
        'of the host file after the timing',
    );
    const studiosUrl = `${studio.session.server.baseUrl}/api/studios/${studio.studioId}/files/content?path=${FILE_NAME}`;
    const headers = studio.session.socketHeaders(true);
    const contender = (name: string, url: string, hostFile: string) => ({
      name,
      async runRound(): Promise<TransferSample> {
        const uploadStarted = performance.now();
        await uploadBytes(url, headers, chunks);
        const uploadSeconds = (performance.now() - uploadStarted) / 1000;
        const hash = await sha256OfFile(hostFile);
        if (hash !== expectedHash) throw new Error(`${name}: the uploaded file differs from what was sent`);
        const downloadStarted = performance.now();
        const received = await downloadBytes(url, headers);
        const downloadSeconds = (performance.now() - downloadStarted) / 1000;
        if (received !== bytes) throw new Error(`${name}: downloaded ${received} bytes, expected ${bytes}`);
        return {
          uploadMegabytesPerSecond: megabytes / uploadSeconds,
          downloadMegabytesPerSecond: megabytes / downloadSeconds,
        };
      },
    });
    const rounds = await alternate(
      contender('studios', studiosUrl, path.join(studio.workspaceDir, FILE_NAME)),
      contender('host file server', floor.contentUrl(FILE_NAME), path.join(floorRoot, FILE_NAME)),
      {
        // A 100 MB transfer swings ±50% here from one second to the next: more pairs steady the median.
        ...(context.quick ? roundsFor(context) : { rounds: 8, warmupRounds: 1 }),
        onRound: ({ contender: name, round, warmup, sample }) =>
          context.log(
            `S11 transfer ${name} round ${round}${warmup ? ' (warm-up)' : ''}: up ${sample.uploadMegabytesPerSecond.toFixed(0)} MB/s, down ${sample.downloadMegabytesPerSecond.toFixed(0)} MB/s`,
          ),
      },
    );
    const goal = { text: '≥ 0.8× floor', minRatio: 0.8 };
    return compareRounds(
      'S11',
      `${megabytes} MB file (${runtime})`,
      { subject: 'studios', peer: 'host file server' },
      rounds,
      [
        {
          metric: 'upload throughput',
          unit: 'MB/s',
          pick: (sample) => sample.uploadMegabytesPerSecond,
          goal,
        },
        {
          metric: 'download throughput',
          unit: 'MB/s',
          pick: (sample) => sample.downloadMegabytesPerSecond,
          goal,
        },
      ],
    );
  } finally {
    await rm(floorRoot, { recursive: true, force: true });
  }
}

function sha256OfChunks(chunks: readonly Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest('hex');
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const part of createReadStream(file)) hash.update(part as Buffer);
  return hash.digest('hex');
}
