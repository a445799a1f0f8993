import { describe, expect, it } from 'vitest';
import { mergePresence, PresenceStore } from './presence-store';

const ada = { id: 'ada', name: 'Ada', color: '#000', file: 'a.ts' };
const bob = { id: 'bob', name: 'Bob', color: '#111' };

describe('mergePresence', () => {
  it('deduplicates by id, preferring a state with a file, self first', () => {
    const merged = mergePresence('bob', [[bob, { ...ada, file: undefined }], [ada]]);
    expect(merged.map((user) => [user.id, user.file, user.isSelf])).toEqual([
      ['bob', undefined, true],
      ['ada', 'a.ts', false],
    ]);
  });
});

describe('PresenceStore', () => {
  it('notifies and forgets closed documents', () => {
    const store = new PresenceStore('bob');
    let calls = 0;
    const unsubscribe = store.subscribe(() => {
      calls += 1;
    });
    store.setDocumentUsers('a.ts', [ada]);
    expect(store.getSnapshot().map((user) => user.id)).toEqual(['ada']);
    store.removeDocument('a.ts');
    expect(store.getSnapshot()).toEqual([]);
    unsubscribe();
    store.setDocumentUsers('b.ts', [bob]);
    expect(calls).toBe(2);
  });
});
