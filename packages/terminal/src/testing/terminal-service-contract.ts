import type { TerminalInfo } from '@studios/protocol';
import type { RuntimeDriver } from '@studios/runtime';
import { waitFor } from '@studios/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TerminalService } from '../terminal-service';
import { startTerminalTestServer } from './terminal-test-server';
import { TestTerminalClient } from './test-terminal-client';

/** A running Studio on some driver, for the shared terminal tests. */
export interface TerminalHarness {
  driver: RuntimeDriver;
  studioId: string;
  cleanup(): Promise<void>;
}

/** A prompt that cannot be confused with the command that set it: `[42]$ `. */
const SET_PROMPT = "unset HISTFILE PROMPT_COMMAND; PS1='[$((40+2))]\\$ '\r";
const PROMPT = /^\[42\][$#]$/;

/**
 * The terminal behaviour every driver must give, against real sockets and real shells. Run by
 * one integration test file per driver.
 */
export function describeTerminalService(label: string, setup: () => Promise<TerminalHarness>): void {
  describe(`TerminalService on ${label}`, () => {
    let harness: TerminalHarness;
    let service: TerminalService;
    let server: Awaited<ReturnType<typeof startTerminalTestServer>>;
    const clients: TestTerminalClient[] = [];

    beforeEach(async () => {
      harness = await setup();
      service = new TerminalService({ driver: harness.driver });
      server = await startTerminalTestServer(service);
    });

    afterEach(async () => {
      await Promise.all(clients.splice(0).map((client) => client.close()));
      service.dispose();
      expect(service.stats()).toEqual({
        sessions: 0,
        connections: 0,
        behindConnections: 0,
        pausedSessions: 0,
      });
      await server.close();
      await harness.cleanup();
    });

    async function connect(terminalId: string, user: string, canWrite: boolean, ack = true) {
      const client = await TestTerminalClient.connect(
        server.url(harness.studioId, terminalId, user, canWrite),
        { ack },
      );
      clients.push(client);
      await client.waitForMessage('snapshot');
      return client;
    }

    /** A new terminal with writer `a` attached and a recognisable prompt on screen. */
    async function openShell(): Promise<{ info: TerminalInfo; a: TestTerminalClient }> {
      const info = await service.create(harness.studioId, { cols: 80, rows: 24, createdBy: 'a' });
      const a = await connect(info.id, 'a', true);
      a.type(SET_PROMPT);
      await waitFor(() => PROMPT.test(a.lastLine()), { what: 'the prompt' });
      return { info, a };
    }

    it('shows one writer’s command and its output to every attached client', async () => {
      const { info, a } = await openShell();
      const b = await connect(info.id, 'b', false);
      await a.waitForMessage('attached', (message) => message.attached.length === 2);
      a.type('echo hi\r');
      await a.waitForLine(/^hi$/);
      await b.waitForLine(/^hi$/);
      expect(service.list(harness.studioId)).toMatchObject([
        { id: info.id, name: 'Terminal 1', createdBy: 'a', exitCode: null },
      ]);
    });

    it('restores screen and scrollback exactly on reload', async () => {
      const { info, a } = await openShell();
      a.type('for i in $(seq 1 60); do printf "\\e[1;3%dmline-%d\\e[0m\\n" $((i % 7)) $i; done\r');
      await a.waitForLine(/^line-60$/);
      await waitFor(() => PROMPT.test(a.lastLine()), { what: 'the prompt after the loop' });
      const before = a.lines();
      await a.close();
      const reloaded = await connect(info.id, 'a', true);
      const snapshot = await reloaded.waitForMessage('snapshot');
      expect(snapshot.data).toContain('line-1');
      await waitFor(() => reloaded.lines().length === before.length, { what: 'the snapshot to be parsed' });
      expect(reloaded.lines()).toEqual(before);
    });

    it('drops a viewer’s input on the server', async () => {
      const { info, a } = await openShell();
      const viewer = await connect(info.id, 'v', false);
      const marker = `/tmp/viewer-typed-${info.id}`;
      viewer.type(`touch ${marker}\r`);
      a.type(`test -e ${marker} && echo PRESENT-$((1+1)) || echo ABSENT-$((1+1))\r`);
      await a.waitForLine(/^(ABSENT|PRESENT)-2$/).then(([line]) => expect(line).toBe('ABSENT-2'));
      expect(a.lines().join('\n')).not.toContain('touch');
    });

    it('keeps running with nobody attached; the next snapshot has what happened meanwhile', async () => {
      const { info, a } = await openShell();
      a.type('sleep 1; echo late-$((3*3))\r');
      await a.waitForLine(/sleep 1; echo late/);
      await a.close();
      await waitFor(() => service.stats().connections === 0, { what: 'the detach' });
      await waitFor(
        async () => {
          const probe = await TestTerminalClient.connect(server.url(harness.studioId, info.id, 'p', false));
          const snapshot = await probe.waitForMessage('snapshot');
          await probe.close();
          return snapshot.data.includes('late-9');
        },
        { what: 'output produced while detached in a snapshot', intervalMs: 200 },
      );
    });

    it('survives a flood: Ctrl-C brings the prompt back while a non-acking client lags behind', async () => {
      const { info, a } = await openShell();
      const laggard = await connect(info.id, 'slow', false, false);
      a.type('yes\r');
      await waitFor(() => service.stats().behindConnections >= 1, { what: 'the laggard to fall behind' });
      a.type('\x03');
      await waitFor(() => PROMPT.test(a.lastLine()), { what: 'the prompt after Ctrl-C', timeoutMs: 15_000 });
      a.type('echo $((5*5))\r');
      await a.waitForLine(/^25$/);
      expect(laggard.isOpen()).toBe(true);
      await waitFor(() => service.stats().pausedSessions === 0, { what: 'the shell to be resumed' });
    });

    it('never answers terminal queries into the shell (DECRQSS, title report, DA, DSR)', async () => {
      const { a } = await openShell();
      a.type(`printf '\\eP$qm\\e\\\\\\e[21t\\e[c\\e[5n\\e[6n'; read -t 1 x; echo "got:[$x]"\r`);
      const [, answered] = await a.waitForLine(/^got:\[(.*)\]$/);
      expect(answered).toBe('');
    });

    it('sends title changes', async () => {
      const { a } = await openShell();
      a.type("printf '\\e]0;build-%d\\a' $((6*7))\r");
      await a.waitForMessage('title', (message) => message.title === 'build-42');
    });

    it('sizes the PTY to the smallest writer; viewers never resize it', async () => {
      const { info, a } = await openShell();
      const b = await connect(info.id, 'b', true);
      const viewer = await connect(info.id, 'v', false);
      a.resize(100, 30);
      b.resize(80, 40);
      viewer.resize(20, 10);
      for (const client of [a, b, viewer]) {
        await client.waitForMessage('size', (message) => message.cols === 80 && message.rows === 30);
      }
      a.type('stty size\r');
      await a.waitForLine(/^30 80$/);
      await b.close();
      await a.waitForMessage('size', (message) => message.cols === 100 && message.rows === 30);
      a.type('stty size\r');
      await a.waitForLine(/^30 100$/);
      expect(service.get(harness.studioId, info.id)).toMatchObject({ cols: 100, rows: 30 });
    });

    it('applies a role change on an open socket', async () => {
      const { info, a } = await openShell();
      server.attachments.get('a')?.setCanWrite(false);
      await a.waitForMessage('role', (message) => !message.canWrite);
      a.type('echo should-not-run-$((2*2))\r');
      const b = await connect(info.id, 'b', true);
      b.type('echo writer-$((3*3))\r');
      await b.waitForLine(/^writer-9$/);
      expect(b.lines().join('\n')).not.toContain('should-not-run');
    });

    it('reports the shell’s exit and keeps the final screen until closed', async () => {
      const { info, a } = await openShell();
      a.type('echo bye-$((2+2)); exit 3\r');
      expect((await a.waitForMessage('exit')).code).toBe(3);
      expect(service.get(harness.studioId, info.id)?.exitCode).toBe(3);
      const late = await connect(info.id, 'late', true);
      await late.waitForLine(/^bye-4$/);
      expect((await late.waitForMessage('hello')).terminal.exitCode).toBe(3);
      await late.waitForMessage('exit');
      expect(service.close(harness.studioId, info.id)).toBe(true);
      expect(await late.waitForClose()).toBe(4410);
      expect(service.list(harness.studioId)).toEqual([]);
    });

    it('closes sockets with named codes: unknown terminal, foreign Studio, bad message, Studio stop', async () => {
      const { info, a } = await openShell();
      const unknown = await TestTerminalClient.connect(server.url(harness.studioId, 'nope', 'x', true));
      expect(await unknown.waitForClose()).toBe(4404);
      const foreign = await TestTerminalClient.connect(server.url('other-studio', info.id, 'x', true));
      expect(await foreign.waitForClose()).toBe(4404);
      const rude = await connect(info.id, 'rude', true);
      rude.sendControl({ type: 'resize', cols: 'wide' });
      expect(await rude.waitForClose()).toBe(4400);
      service.closeStudio(harness.studioId);
      expect(await a.waitForClose()).toBe(4410);
      expect(service.stats().sessions).toBe(0);
    });
  });
}
