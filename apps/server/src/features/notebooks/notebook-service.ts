import type { Clock, Disposable, Logger } from '@studios/base';
import type { KernelManager } from '@studios/kernels';
import {
  ErrorCode,
  type KernelSpecList,
  type KernelState,
  type NotebookClearOutputsBody,
  type NotebookInputBody,
  type NotebookKernelBody,
  type NotebookRunBody,
  type NotebookUser,
  StudiosError,
} from '@studios/protocol';
import { newId } from '../../ids';
import type { NotebookCommands } from './notebook-routes';
import { NotebookRunner } from './notebook-runner';
import type { RunnerDocument } from './runner-ports';

/** A live notebook held open by the server while its kernel runs (browsers may all be gone). */
export interface SessionDocument extends RunnerDocument, Disposable {
  setKernelState(state: KernelState): void;
  /** The notebook's `metadata.kernelspec.name`, if it names one. */
  kernelName(): string | undefined;
  /** Every code cell's id, in order. */
  codeCellIds(): string[];
}

/** Opens notebooks for the server's own writes (the collab service's notebook handles). */
export type OpenNotebook = (studioId: string, path: string) => Promise<SessionDocument>;

interface Session {
  studioId: string;
  path: string;
  doc: SessionDocument;
  runner: NotebookRunner;
}

const key = (studioId: string, path: string) => `${studioId}\u0000${path}`;

/**
 * Notebooks with kernels: one runner and one kernel per notebook, shared by everyone in it.
 * A session holds the notebook's live document open from the first run or kernel start until
 * its kernel is gone and nothing is queued, so a cell keeps writing its outputs while every
 * browser is closed.
 */
export class NotebookService implements NotebookCommands, Disposable {
  readonly #kernels: KernelManager;
  readonly #open: OpenNotebook;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #sessions = new Map<string, Promise<Session>>();

  constructor(options: { kernels: KernelManager; open: OpenNotebook; clock: Clock; log: Logger }) {
    this.#kernels = options.kernels;
    this.#open = options.open;
    this.#clock = options.clock;
    this.#log = options.log;
  }

  kernelspecs(studioId: string): Promise<KernelSpecList> {
    return this.#kernels.kernelSpecs(studioId);
  }

  async run(studioId: string, body: NotebookRunBody, by: NotebookUser): Promise<number> {
    const session = await this.#session(studioId, body.path);
    return session.runner.enqueue(body.cellIds, by);
  }

  async kernel(studioId: string, body: NotebookKernelBody, by: NotebookUser): Promise<void> {
    const { path } = body;
    switch (body.action) {
      case 'start': {
        const session = await this.#session(studioId, path);
        const kernelName = body.kernelName ?? session.doc.kernelName();
        // Changing the kernel ends the old one: what was queued on it will not run.
        if (body.kernelName && this.#kernels.get(studioId, path)?.spec.name !== body.kernelName) {
          session.runner.kernelGone();
        }
        await this.#kernels.start(studioId, path, { by, ...(kernelName ? { kernelName } : {}) });
        return;
      }
      case 'interrupt':
        (await this.#sessionIfAny(studioId, path)?.catch(() => undefined))?.runner.interrupted();
        await this.#kernels.interrupt(studioId, path);
        return;
      case 'restart':
        (await this.#sessionIfAny(studioId, path)?.catch(() => undefined))?.runner.kernelGone();
        await this.#kernels.restart(studioId, path, by);
        return;
      case 'shutdown':
        (await this.#sessionIfAny(studioId, path)?.catch(() => undefined))?.runner.kernelGone();
        await this.#kernels.shutdown(studioId, path);
        return;
    }
  }

  async answerInput(studioId: string, body: NotebookInputBody, by: NotebookUser): Promise<void> {
    const session = await this.#sessionIfAny(studioId, body.path);
    if (!session)
      throw new StudiosError(ErrorCode.KernelNotRunning, 'That cell is no longer waiting for input');
    session.runner.answerInput(body.cellId, body.runId, by.id, body.value);
  }

  async clearOutputs(studioId: string, body: NotebookClearOutputsBody): Promise<void> {
    const session = await this.#session(studioId, body.path);
    for (const cellId of body.cellIds ?? session.doc.codeCellIds()) {
      if (session.doc.codeCellSource(cellId) === undefined) continue;
      session.doc.clearOutputs(cellId);
      session.doc.setExecutionCount(cellId, null);
    }
    this.#releaseIfIdle(session);
  }

  /** The kernel manager reports a state change: everyone in the notebook sees it. */
  kernelStateChanged(studioId: string, path: string, state: KernelState): void {
    // A kernel ending for a notebook nobody holds (a stopping or deleted Studio) needs no
    // document opened just to say so: the next session starts from the manager's state.
    if (state.status === 'none' && !this.#sessionIfAny(studioId, path)) return;
    void this.#session(studioId, path)
      .then((session) => {
        session.doc.setKernelState(state);
        if (state.status === 'dead' || state.status === 'none') session.runner.kernelGone();
        this.#releaseIfIdle(session);
      })
      .catch((error: unknown) =>
        this.#log.warn('kernel state not recorded', { studioId, path, error: String(error) }),
      );
  }

  /** The Studio stopped or was deleted: its kernels end and its notebooks are let go. */
  async closeStudio(studioId: string): Promise<void> {
    const sessions = [...this.#sessions.entries()].filter(([k]) => k.startsWith(`${studioId}\u0000`));
    await this.#kernels.shutdownStudio(studioId);
    for (const [k, pending] of sessions) {
      this.#sessions.delete(k);
      const session = await pending.catch(() => undefined);
      session?.runner.kernelGone();
      session?.doc.dispose();
    }
  }

  dispose(): void {
    for (const pending of this.#sessions.values())
      void pending.then(
        (session) => session.doc.dispose(),
        () => {},
      );
    this.#sessions.clear();
  }

  #sessionIfAny(studioId: string, path: string): Promise<Session> | undefined {
    return this.#sessions.get(key(studioId, path));
  }

  #session(studioId: string, path: string): Promise<Session> {
    const k = key(studioId, path);
    let pending = this.#sessions.get(k);
    if (!pending) {
      pending = this.#open(studioId, path).then((doc) => this.#newSession(studioId, path, doc));
      this.#sessions.set(k, pending);
      pending.catch(() => {
        if (this.#sessions.get(k) === pending) this.#sessions.delete(k);
      });
    }
    return pending;
  }

  #newSession(studioId: string, path: string, doc: SessionDocument): Session {
    const runner = new NotebookRunner({
      doc,
      clock: this.#clock,
      newRunId: newId,
      kernel: async (by) => {
        const kernelName = doc.kernelName();
        const kernel = await this.#kernels.start(studioId, path, {
          by,
          ...(kernelName ? { kernelName } : {}),
        });
        return {
          execute: (code, options) => kernel.execute(code, options),
          inputReply: (value) => void kernel.inputReply(value),
        };
      },
    });
    doc.setKernelState(this.#kernels.state(studioId, path));
    return { studioId, path, doc, runner };
  }

  /** Lets the document go once no kernel runs for it and nothing is queued. */
  #releaseIfIdle(session: Session): void {
    const status = this.#kernels.state(session.studioId, session.path).status;
    if (session.runner.busy || (status !== 'none' && status !== 'dead' && status !== 'failed')) return;
    const k = key(session.studioId, session.path);
    void this.#sessions.get(k)?.then((current) => {
      if (current !== session || session.runner.busy) return;
      this.#sessions.delete(k);
      session.doc.dispose();
    });
  }
}
