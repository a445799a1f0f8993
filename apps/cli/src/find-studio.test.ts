import type { Studio } from '@studios/protocol';
import { describe, expect, it } from 'vitest';
import { findStudio } from './find-studio';

const studio = (id: string, name: string): Studio => ({
  id,
  name,
  role: 'owner',
  ownerId: 'u1',
  machineType: 'small',
  runtime: { state: 'stopped', machineType: 'small' },
  createdAt: '2026-11-30T00:00:00.000Z',
  updatedAt: '2026-11-30T00:00:00.000Z',
});

describe('findStudio', () => {
  const studios = [studio('s1', 'My Studio'), studio('s2', 'Notes'), studio('s3', 'notes')];

  it('finds a Studio by id, name in any case, or slug', () => {
    expect(findStudio(studios, 's2').id).toBe('s2');
    expect(findStudio(studios, 'my studio').id).toBe('s1');
    expect(findStudio(studios, 'my-studio').id).toBe('s1');
  });

  it('asks for the id when a name is shared', () => {
    expect(() => findStudio(studios, 'Notes')).toThrow(
      "several Studios are named 'Notes' (s2, s3): pass the id instead",
    );
  });

  it('points at studios list when nothing matches', () => {
    expect(() => findStudio(studios, 'nope')).toThrow(
      "none of your Studios is named 'nope': studios list shows them",
    );
  });
});
