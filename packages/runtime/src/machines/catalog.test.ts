import { describe, expect, it } from 'vitest';
import { isRuntimeError } from '../runtime-error';
import { MachineCatalog } from './catalog';

describe('MachineCatalog', () => {
  it('offers the stock machine types', () => {
    const catalog = new MachineCatalog();
    expect(catalog.list().map((type) => type.id)).toEqual(['cpu-small', 'cpu-large', 'gpu-1']);
    expect(catalog.get('cpu-small')).toMatchObject({ cpus: 2, memoryMb: 4096, pids: 512, gpus: 0 });
    expect(catalog.get('cpu-large')).toMatchObject({ cpus: 4, memoryMb: 16384, pids: 2048 });
    expect(catalog.get('gpu-1')).toMatchObject({
      cpus: 8,
      memoryMb: 32768,
      pids: 4096,
      gpus: 1,
      image: 'studios/gpu:latest',
    });
    expect(catalog.defaultId).toBe('cpu-small');
  });

  it('refuses unknown ids with unknown_machine_type', () => {
    const catalog = new MachineCatalog();
    let thrown: unknown;
    try {
      catalog.get('privileged');
    } catch (error) {
      thrown = error;
    }
    expect(isRuntimeError(thrown, 'unknown_machine_type')).toBe(true);
    expect((thrown as Error).message).toContain('cpu-small');
  });

  it('refuses catalogs naming foreign images, duplicates or bad limits', () => {
    const base = {
      id: 'x',
      label: 'X',
      cpus: 1,
      memoryMb: 512,
      pids: 64,
      gpus: 0,
      image: 'studios/base:latest',
    };
    expect(() => new MachineCatalog([{ ...base, image: 'evil/miner:latest' }])).toThrow(/studios\/<name>/);
    expect(() => new MachineCatalog([base, base])).toThrow(/duplicate/);
    expect(() => new MachineCatalog([{ ...base, memoryMb: -1 }])).toThrow();
    expect(() => MachineCatalog.fromJson('[]')).toThrow();
    expect(MachineCatalog.fromJson(JSON.stringify([base])).get('x').pids).toBe(64);
  });
});
