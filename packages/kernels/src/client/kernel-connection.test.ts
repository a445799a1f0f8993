import { waitFor } from '@studios/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeKernel } from '../testing/fake-kernel';
import { DELIMITER, type JupyterMessage, MAX_MESSAGE_BYTES } from '../wire/jupyter-message';
import type { ExecuteEvent } from '../wire/nbformat-output';
import type { KernelActivity } from './connection-options';
import { KernelConnection } from './kernel-connection';

const KERNEL_INFO = { status: 'ok', protocol_version: '5.3', implementation: 'fake' };

// The client against a kernel played over real ZeroMQ sockets: the normal exchange, and what a
// hostile or broken kernel may send (wrong signatures, garbage, giant messages, silence).
describe('KernelConnection against a fake kernel', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  async function connect(
    onRequest: (
      kernel: FakeKernel,
      channel: 'shell' | 'control',
      request: JupyterMessage,
    ) => void | Promise<void>,
  ) {
    const kernel = new FakeKernel();
    kernel.onRequest = (channel, request) => onRequest(kernel, channel, request);
    await kernel.start();
    const connection = new KernelConnection({
      endpoints: kernel.endpoints,
      key: kernel.key,
      heartbeatIntervalMs: 20,
      heartbeatTimeoutMs: 100,
      heartbeatMisses: 2,
      outputGraceMs: 200,
    });
    cleanups.push(
      () => kernel.close(),
      () => connection.dispose(),
    );
    return { kernel, connection };
  }

  /** Answers kernel_info (status on iopub first, as ipykernel does) and executes with `script`. */
  const standard =
    (script?: (kernel: FakeKernel, request: JupyterMessage) => Promise<void>) =>
    async (kernel: FakeKernel, channel: 'shell' | 'control', request: JupyterMessage) => {
      if (request.header.msg_type === 'kernel_info_request') {
        await kernel.publish('status', { execution_state: 'idle' }, request.header);
        await kernel.reply(channel, request, 'kernel_info_reply', KERNEL_INFO);
      } else if (request.header.msg_type === 'execute_request' && script) await script(kernel, request);
    };

  it('resends kernel_info until iopub speaks (late joiner), then runs code to its outputs', async () => {
    let infoRequests = 0;
    const { connection } = await connect(async (kernel, channel, request) => {
      if (request.header.msg_type === 'kernel_info_request') {
        infoRequests += 1;
        // The first status is published before anyone listens: only a resend gets through.
        if (infoRequests > 1) await kernel.publish('status', { execution_state: 'idle' }, request.header);
        await kernel.reply(channel, request, 'kernel_info_reply', KERNEL_INFO);
        return;
      }
      await kernel.publish('status', { execution_state: 'busy' }, request.header);
      await kernel.publish('stream', { name: 'stdout', text: 'hi\n' }, request.header);
      await kernel.publish(
        'execute_result',
        { execution_count: 7, data: { 'text/plain': '2' }, metadata: {} },
        request.header,
      );
      await kernel.reply(channel, request, 'execute_reply', { status: 'ok', execution_count: 7 });
      await kernel.publish('status', { execution_state: 'idle' }, request.header);
    });
    expect(await connection.ready(10_000, 50)).toMatchObject({ implementation: 'fake' });
    expect(infoRequests).toBeGreaterThan(1);
    const events: ExecuteEvent[] = [];
    const activity: KernelActivity[] = [];
    connection.onActivity((value) => activity.push(value));
    expect(await connection.execute('1+1', { onEvent: (event) => events.push(event) })).toEqual({
      status: 'ok',
      executionCount: 7,
    });
    expect(events.map((event) => event.type === 'output' && event.output.output_type)).toEqual([
      'stream',
      'execute_result',
    ]);
    // Statuses of kernel_info resends may still arrive first (a slow machine); then the run's own.
    expect(activity.slice(activity.indexOf('busy'))).toEqual(['busy', 'idle']);
  });

  it('drops and counts wrongly signed, garbage and oversized messages, and keeps working', async () => {
    const { connection } = await connect(
      standard(async (kernel, request) => {
        const forged = kernel.frames('stream', { name: 'stdout', text: 'forged\n' }, request.header);
        forged[1] = Buffer.from('0'.repeat(64));
        await kernel.iopub.send(forged);
        await kernel.iopub.send([Buffer.from('garbage'), Buffer.from([0xff, 0x00])]);
        await kernel.iopub.send([DELIMITER, Buffer.from(''), Buffer.from('{'), Buffer.from('{}')]);
        const wrongShape = kernel.frames('stream', { name: 'stdout', text: 42 }, request.header);
        await kernel.iopub.send(wrongShape);
        // Bigger than any message we accept: ZeroMQ's cap ends that connection (it reconnects;
        // what the kernel publishes meanwhile is lost, as with any PUB/SUB reconnect).
        await kernel.iopub.send([Buffer.alloc(MAX_MESSAGE_BYTES + 1)]);
        const forgedReply = kernel.frames(
          'execute_reply',
          { status: 'ok', execution_count: 99 },
          request.header,
          request.identities,
        );
        forgedReply[request.identities.length + 1] = Buffer.from('f'.repeat(64));
        await kernel.shell.send(forgedReply);
        await kernel.reply('shell', request, 'execute_reply', { status: 'ok', execution_count: 1 });
        await kernel.publish('status', { execution_state: 'idle' }, request.header);
      }),
    );
    await connection.ready(10_000, 50);
    const events: ExecuteEvent[] = [];
    expect(await connection.execute('x', { onEvent: (event) => events.push(event) })).toEqual({
      status: 'ok',
      executionCount: 1,
    });
    expect(events).toEqual([]);
    expect(connection.stats.dropped['bad-signature']).toBe(2);
    expect(connection.stats.dropped.malformed).toBeGreaterThanOrEqual(3);
  });

  it('ends a run whose iopub idle never comes, after the output grace period', async () => {
    const { connection } = await connect(
      standard(async (kernel, request) => {
        await kernel.reply('shell', request, 'execute_reply', { status: 'error', execution_count: 3 });
      }),
    );
    await connection.ready(10_000, 50);
    expect(await connection.execute('x')).toEqual({ status: 'error', executionCount: 3 });
  });

  it('routes input() prompts to the run and sends the answer on stdin', async () => {
    const { connection } = await connect(
      standard(async (kernel, request) => {
        await kernel.stdin.send(
          kernel.frames(
            'input_request',
            { prompt: 'Name? ', password: false },
            request.header,
            request.identities,
          ),
        );
        const [answer] = await Promise.all([kernel.stdin.receive()]);
        const text = answer?.map((frame) => frame.toString()).join('|') ?? '';
        await kernel.publish(
          'stream',
          { name: 'stdout', text: text.includes('"value":"Ada"') ? 'got Ada\n' : 'no\n' },
          request.header,
        );
        await kernel.reply('shell', request, 'execute_reply', { status: 'ok', execution_count: 1 });
        await kernel.publish('status', { execution_state: 'idle' }, request.header);
      }),
    );
    await connection.ready(10_000, 50);
    const events: ExecuteEvent[] = [];
    const result = await connection.execute('input()', {
      allowStdin: true,
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'input_request') expect(connection.inputReply('Ada')).toBe(true);
      },
    });
    expect(result.status).toBe('ok');
    expect(events).toEqual([
      { type: 'input_request', prompt: 'Name? ', password: false },
      { type: 'output', output: { output_type: 'stream', name: 'stdout', text: 'got Ada\n' } },
    ]);
    expect(connection.inputReply('late')).toBe(false);
  });

  it('forgets a prompt whose run ended unanswered (an interrupted input())', async () => {
    let seen: () => void = () => {};
    const prompted = new Promise<void>((resolve) => {
      seen = resolve;
    });
    const { connection } = await connect(
      standard(async (kernel, request) => {
        const prompt = kernel.frames(
          'input_request',
          { prompt: '? ', password: true },
          request.header,
          request.identities,
        );
        await kernel.stdin.send(prompt);
        await prompted; // stdin and shell are separate sockets: end the run once the prompt is seen
        await kernel.publish(
          'error',
          { ename: 'KeyboardInterrupt', evalue: '', traceback: [] },
          request.header,
        );
        await kernel.reply('shell', request, 'execute_reply', { status: 'error', execution_count: 1 });
        await kernel.publish('status', { execution_state: 'idle' }, request.header);
      }),
    );
    await connection.ready(10_000, 50);
    const events: ExecuteEvent[] = [];
    await connection.execute('input()', {
      allowStdin: true,
      onEvent: (event) => {
        events.push(event);
        if (event.type === 'input_request') seen();
      },
    });
    expect(events[0]).toEqual({ type: 'input_request', prompt: '? ', password: true });
    expect(connection.awaitingInput).toBe(false);
    expect(connection.inputReply('too late')).toBe(false);
  });

  it('declares a silent kernel dead, aborting what was pending, and closes every socket', async () => {
    const { kernel, connection } = await connect(standard());
    await connection.ready(10_000, 50);
    const activity: KernelActivity[] = [];
    connection.onActivity((value) => activity.push(value));
    connection.startHeartbeat();
    const pending = connection.execute('never answered');
    kernel.heartbeat = false;
    await waitFor(() => activity.includes('dead'), { what: 'the kernel declared dead' });
    expect(await pending).toEqual({ status: 'aborted', executionCount: null });
    connection.dispose();
    expect(connection.closed).toBe(true);
    await expect(connection.execute('x')).rejects.toMatchObject({ code: 'kernel_not_running' });
  });
});
