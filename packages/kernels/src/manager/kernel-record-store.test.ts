import { describe, expect, it } from 'vitest';
import { InMemoryKernelRecordStore, type KernelRecord, KernelRecordJson } from './kernel-record-store';

const record: KernelRecord = {
  studioId: 's1',
  path: 'a/b.ipynb',
  spec: {
    name: 'python3',
    argv: ['python3', '-m', 'ipykernel_launcher', '-f', '{connection_file}'],
    display_name: 'Python 3',
    language: 'python',
    interrupt_mode: 'signal',
    env: {},
  },
  process: {
    pid: 42,
    connectionFile: '/home/studio/.local/share/jupyter/runtime/kernel-studios-x.json',
    connection: {
      ip: '127.0.0.1',
      transport: 'tcp',
      shell_port: 30001,
      iopub_port: 30002,
      stdin_port: 30003,
      control_port: 30004,
      hb_port: 30005,
      key: 'k',
      signature_scheme: 'hmac-sha256',
      kernel_name: 'python3',
    },
  },
  startedAt: '2026-11-29T23:00:00.000Z',
  startedBy: { id: 'u1', name: 'Ada' },
};

describe('kernel records', () => {
  it('survive a JSON round trip, and a damaged row is refused', () => {
    expect(KernelRecordJson.parse(JSON.parse(JSON.stringify(record)))).toEqual(record);
    expect(KernelRecordJson.safeParse({ ...record, process: { pid: 'x' } }).success).toBe(false);
  });

  it('are kept one per notebook in memory, as copies', async () => {
    const store = new InMemoryKernelRecordStore();
    await store.put(record);
    await store.put({ ...record, startedBy: null });
    await store.put({ ...record, path: 'other.ipynb' });
    const listed = await store.list();
    expect(listed.map((entry) => [entry.path, entry.startedBy])).toEqual([
      ['a/b.ipynb', null],
      ['other.ipynb', { id: 'u1', name: 'Ada' }],
    ]);
    await store.delete('s1', 'a/b.ipynb');
    expect((await store.list()).map((entry) => entry.path)).toEqual(['other.ipynb']);
  });
});
