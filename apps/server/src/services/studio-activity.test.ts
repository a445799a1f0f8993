import { describe, expect, it } from 'vitest';
import { type ActivitySink, StudioActivity } from './studio-activity';

describe('StudioActivity', () => {
  it('keeps a Studio busy exactly while a connection is open, once per connection', () => {
    const activity = new StudioActivity();
    const calls: string[] = [];
    const sink: ActivitySink = {
      touch: (studioId, source) => calls.push(`touch ${studioId} ${source}`),
      setBusy: (studioId, source, busy) => calls.push(`${busy ? 'busy' : 'free'} ${studioId} ${source}`),
    };
    const subscription = activity.subscribe(sink);
    const first = activity.connected('s1', 'collab');
    const second = activity.connected('s1', 'collab');
    activity.touch('s1', 'terminal');
    first.dispose();
    first.dispose();
    subscription.dispose();
    second.dispose();
    expect(calls).toEqual(['busy s1 collab#1', 'busy s1 collab#2', 'touch s1 terminal', 'free s1 collab#1']);
  });
});
