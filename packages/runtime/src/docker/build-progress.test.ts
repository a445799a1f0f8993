import { describe, expect, it } from 'vitest';
import { buildErrorReason, parseBuildLine } from './build-progress';

describe('parseBuildLine', () => {
  it('maps step k/n to a readable message and the fraction k/n', () => {
    expect(
      parseBuildLine('studios-build: step 1/3 debootstrapping Debian bookworm (about 2 minutes)'),
    ).toEqual({ message: 'Step 1 of 3: debootstrapping Debian bookworm (about 2 minutes)', fraction: 1 / 3 });
    expect(parseBuildLine('studios-build: step 2/3 building studios/base:latest')).toEqual({
      message: 'Step 2 of 3: building studios/base:latest',
      fraction: 2 / 3,
    });
    expect(parseBuildLine('studios-build: step 3/3 done: studios/base:latest\r')).toEqual({
      message: 'Step 3 of 3: done: studios/base:latest',
      fraction: 1,
    });
  });

  it('keeps a prefixed line without a step as a message without a fraction', () => {
    expect(parseBuildLine('studios-build: checking the cache')).toEqual({ message: 'checking the cache' });
  });

  it('leaves out a step number it cannot place on the bar', () => {
    expect(parseBuildLine('studios-build: step 4/3 extra')).toEqual({ message: 'Step 4 of 3: extra' });
    expect(parseBuildLine('studios-build: step 0/0')).toEqual({ message: 'Step 0 of 0' });
  });

  it('ignores lines that are not progress: other output, empty lines and errors', () => {
    expect(parseBuildLine('Sending build context to Docker daemon')).toBeUndefined();
    expect(parseBuildLine('studios-build:')).toBeUndefined();
    expect(parseBuildLine('studios-build: error: debootstrap failed')).toBeUndefined();
  });
});

describe('buildErrorReason', () => {
  it("strips the script's prefixes from an error line", () => {
    expect(buildErrorReason('studios-build: error: debootstrap and zstd are needed')).toBe(
      'debootstrap and zstd are needed',
    );
    expect(buildErrorReason('  plain failure ')).toBe('plain failure');
  });
});
