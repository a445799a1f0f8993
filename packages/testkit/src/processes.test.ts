import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findProcesses } from './processes';
import { waitFor } from './wait-for';

describe('findProcesses', () => {
  it('finds a process by parts of its command line, and not once it has exited', async () => {
    const marker = `marker-${Math.random().toString(36).slice(2)}`;
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', marker]);
    try {
      await waitFor(() => findProcesses(marker, '-e').includes(child.pid as number));
      expect(findProcesses(marker, 'no-such-part')).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
    await waitFor(() => findProcesses(marker).length === 0);
  });
});
