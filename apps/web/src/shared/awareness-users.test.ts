import { describe, expect, it } from 'vitest';
import { awarenessUser, awarenessUsers } from './awareness-users';

describe('awarenessUser', () => {
  it('reads well-formed users and drops the rest', () => {
    expect(awarenessUser({ user: { id: 'u', name: 'Ada', color: '#fff', file: 'a.ts' } })).toEqual({
      id: 'u',
      name: 'Ada',
      color: '#fff',
      file: 'a.ts',
    });
    expect(awarenessUser({ user: { id: 1, name: 'x', color: '#fff' } })).toBeNull();
    expect(awarenessUser(null)).toBeNull();
    expect(
      awarenessUsers(
        new Map<number, unknown>([
          [1, {}],
          [2, { user: { id: 'b', name: 'B', color: '#000' } }],
        ]),
      ),
    ).toEqual([{ id: 'b', name: 'B', color: '#000' }]);
  });
});
