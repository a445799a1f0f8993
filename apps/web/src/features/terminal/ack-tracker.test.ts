import { describe, expect, it } from 'vitest';
import { AckTracker } from './ack-tracker';

describe('AckTracker', () => {
  it('acks in batches of at least the threshold with the exact byte count', () => {
    const acks: number[] = [];
    const tracker = new AckTracker(5000, (bytes) => acks.push(bytes));
    tracker.written(3000);
    expect(acks).toEqual([]);
    tracker.written(2500);
    expect(acks).toEqual([5500]);
    tracker.written(4999);
    tracker.written(1);
    expect(acks).toEqual([5500, 5000]);
  });

  it('ignores writes from before a snapshot reset', () => {
    const acks: number[] = [];
    const tracker = new AckTracker(10, (bytes) => acks.push(bytes));
    const before = tracker.epoch;
    tracker.written(6);
    tracker.reset();
    tracker.written(6, before);
    tracker.written(6);
    expect(acks).toEqual([]);
    tracker.written(4);
    expect(acks).toEqual([10]);
  });
});
