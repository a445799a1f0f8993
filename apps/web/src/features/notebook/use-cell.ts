import type { CellRun } from '@studios/protocol';
import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { cellExecutionCount, cellOutputs, readRun } from './notebook-doc';

export interface CellState {
  outputs: unknown[];
  executionCount: number | null;
  run: CellRun | null;
}

/**
 * Follows one cell's outputs and execution count (written by the server) and its entry in the
 * runs map. Typing in the cell's source does not re-read its outputs.
 */
export function useCell(cell: Y.Map<unknown>, id: string, runs: Y.Map<unknown>): CellState {
  const [outputs, setOutputs] = useState<unknown[]>(() => cellOutputs(cell));
  const [executionCount, setExecutionCount] = useState(() => cellExecutionCount(cell));
  const [run, setRun] = useState<CellRun | null>(() => readRun(runs, id));

  useEffect(() => {
    const source = cell.get('source');
    const onCell = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      if (events.every((event) => event.target === source)) return;
      setOutputs(cellOutputs(cell));
      setExecutionCount(cellExecutionCount(cell));
    };
    cell.observeDeep(onCell);
    setOutputs(cellOutputs(cell));
    setExecutionCount(cellExecutionCount(cell));
    return () => cell.unobserveDeep(onCell);
  }, [cell]);

  useEffect(() => {
    const onRuns = (event: Y.YMapEvent<unknown>) => {
      if (event.keysChanged.has(id)) setRun(readRun(runs, id));
    };
    runs.observe(onRuns);
    setRun(readRun(runs, id));
    return () => runs.unobserve(onRuns);
  }, [runs, id]);

  return { outputs, executionCount, run };
}

/** Re-renders every `intervalMs` while `active`, for live timers; returns the current time. */
export function useNow(active: boolean, intervalMs = 100): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    setNow(Date.now());
    return () => clearInterval(timer);
  }, [active, intervalMs]);
  return now;
}
