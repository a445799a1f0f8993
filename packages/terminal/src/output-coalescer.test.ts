import { describe, expect, it } from 'vitest';
import { OutputCoalescer } from './output-coalescer';

function manualDefer() {
  const queued: Array<() => void> = [];
  return {
    defer: (callback: () => void) => queued.push(callback),
    run: () => {
      for (const callback of queued.splice(0)) callback();
    },
  };
}

describe('OutputCoalescer', () => {
  it('merges the chunks of one turn into batches, in byte order', () => {
    const scheduler = manualDefer();
    const batches: Buffer[] = [];
    const coalescer = new OutputCoalescer((batch) => batches.push(batch), {
      maxBatchBytes: 10,
      defer: scheduler.defer,
    });
    for (const chunk of ['abc', 'def', 'ghij', 'k', 'lmnopqrstuvwxyz', '0', '12'])
      coalescer.push(Buffer.from(chunk));
    expect(batches).toEqual([]);
    expect(coalescer.bufferedBytes).toBe(29);
    scheduler.run();
    expect(batches.map(String)).toEqual(['abcdefghij', 'k', 'lmnopqrstuvwxyz', '012']);
    expect(Buffer.concat(batches).toString()).toBe('abcdefghijklmnopqrstuvwxyz012');
    expect(coalescer.bufferedBytes).toBe(0);
  });

  it('hands a lone chunk on without copying it and schedules one flush per turn', () => {
    const scheduler = manualDefer();
    const batches: Buffer[] = [];
    let scheduled = 0;
    const coalescer = new OutputCoalescer((batch) => batches.push(batch), {
      maxBatchBytes: 1024,
      defer: (callback) => {
        scheduled++;
        scheduler.defer(callback);
      },
    });
    const chunk = Buffer.from('hello');
    coalescer.push(chunk);
    coalescer.push(Buffer.alloc(0));
    scheduler.run();
    expect(batches[0]).toBe(chunk);
    coalescer.push(Buffer.from('a'));
    coalescer.push(Buffer.from('b'));
    scheduler.run();
    expect(batches.map(String)).toEqual(['hello', 'ab']);
    expect(scheduled).toBe(2);
  });

  it('flushes on demand (before an in-order step) and drops everything once disposed', () => {
    const scheduler = manualDefer();
    const batches: string[] = [];
    const coalescer = new OutputCoalescer((batch) => batches.push(String(batch)), {
      maxBatchBytes: 1024,
      defer: scheduler.defer,
    });
    coalescer.push(Buffer.from('one'));
    coalescer.flush();
    expect(batches).toEqual(['one']);
    coalescer.push(Buffer.from('two'));
    coalescer.dispose();
    scheduler.run();
    coalescer.push(Buffer.from('three'));
    scheduler.run();
    expect(batches).toEqual(['one']);
  });
});
