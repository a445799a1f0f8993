import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type * as Y from 'yjs';
import type { MetricResult } from '../lib/metrics';
import { standaloneMetric } from '../lib/metrics';
import type { ScenarioContext } from '../lib/scenario';
import { quantileOfSorted } from '../lib/stats';
import { allWithin, CollabClient, type CollabEndpoint } from '../lib/yjs-client';
import type { ServedStudio } from './s11-transfers';

const DOC_PATH = 'save-latency.txt';
/** The host file is read this often while waiting for a save: error ≤ 2 ms against a 750 ms debounce. */
const POLL_MS = 2;
const WARMUP_EDITS = 2;

/**
 * S11, save latency: one client types a line into a live document; the edit counts as
 * acknowledged when a second client receives it (the server broadcasts only after the update
 * is committed to its log), and as saved when the host file holds it (read by the bench, never
 * by the server). Edits go one at a time, each after the previous one reached the file, so each
 * pays the whole write debounce (750 ms by design) plus the write through the agent.
 */
export async function measureSaveLatency(
  context: ScenarioContext,
  studio: ServedStudio,
  runtime: 'docker' | 'local',
): Promise<MetricResult[]> {
  const edits = context.quick ? 5 : 20;
  context.note(
    `save latency: ${edits} edits after ${WARMUP_EDITS} warm-up, one at a time, ${runtime} runtime; time from the edit ` +
      'reaching a second client (the server broadcasts only after committing it to collab.db) to the host file ' +
      `containing it (polled every ${POLL_MS} ms from the bench); no peer: the goal is absolute, and the server's ` +
      'write debounce is 750 ms by design',
  );
  await studio.session.createFile(studio.studioId, DOC_PATH);
  const endpoint: CollabEndpoint = {
    serverUrl: `ws://127.0.0.1:${studio.session.server.port}/api/studios/${studio.studioId}/collab`,
    headers: (authenticated) => studio.session.socketHeaders(authenticated),
  };
  const writer = new CollabClient(endpoint, encodeURIComponent(DOC_PATH));
  const observer = new CollabClient(endpoint, encodeURIComponent(DOC_PATH));
  const hostFile = path.join(studio.workspaceDir, DOC_PATH);
  const ackToDisk: number[] = [];
  const editToDisk: number[] = [];
  try {
    await allWithin([writer.synced, observer.synced], 30_000, 'two clients to sync the document');
    for (let edit = 0; edit < WARMUP_EDITS + edits; edit++) {
      const line = `s11 edit ${edit}\n`;
      const acknowledged = arrivalOf(observer.text, line);
      const edited = performance.now();
      writer.text.insert(writer.text.length, line);
      const ackedAt = await withTimeout(acknowledged, 10_000, `edit ${edit} to reach the second client`);
      const savedAt = await fileContains(hostFile, line, 10_000);
      if (edit < WARMUP_EDITS) continue;
      ackToDisk.push(savedAt - ackedAt);
      editToDisk.push(savedAt - edited);
      context.log(
        `S11 save edit ${edit - WARMUP_EDITS}: acked → on disk ${(savedAt - ackedAt).toFixed(0)} ms`,
      );
    }
  } finally {
    writer.dispose();
    observer.dispose();
  }
  const goal = { text: '< 1000 ms', maxSubject: 1000 };
  const variant = `document save (${runtime})`;
  const subject = (values: number[]) => ({ name: 'studios', values });
  return [
    standaloneMetric('S11', variant, 'edit acked → on disk p50', 'ms', subject(ackToDisk), goal),
    standaloneMetric(
      'S11',
      variant,
      'edit acked → on disk p95',
      'ms',
      subject([percentile(ackToDisk, 0.95)]),
      goal,
    ),
    standaloneMetric('S11', variant, 'edit sent → on disk p50', 'ms', subject(editToDisk)),
  ];
}

/** Resolves with the time `text` first contains `line` (checked on every change of the text). */
function arrivalOf(text: Y.Text, line: string): Promise<number> {
  return new Promise((resolve) => {
    const check = () => {
      if (!text.toString().includes(line)) return;
      text.unobserve(check);
      resolve(performance.now());
    };
    text.observe(check);
  });
}

/** Polls the host file until it contains `line`; resolves with the time it was first seen. */
async function fileContains(file: string, line: string, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const content = await readFile(file, 'utf8').catch(() => '');
    const seenAt = performance.now();
    if (content.includes(line)) return seenAt;
    if (seenAt > deadline)
      throw new Error(`${file} did not contain ${JSON.stringify(line)} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  return allWithin([promise], timeoutMs, what).then(([value]) => value as T);
}

function percentile(values: readonly number[], q: number): number {
  return quantileOfSorted(
    [...values].sort((left, right) => left - right),
    q,
  );
}
