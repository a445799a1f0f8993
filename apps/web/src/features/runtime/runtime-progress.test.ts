import { describe, expect, it } from 'vitest';
import { runtimeStatusLine } from './runtime-progress';

const building = 'Building the Studio image (first start on this host, about 3–5 minutes)…';

describe('runtimeStatusLine', () => {
  it('names the image build and keeps the runtime message for the tooltip', () => {
    expect(
      runtimeStatusLine(
        { state: 'starting', machineType: 'cpu-small', message: building },
        { operation: 'image-build', message: 'Step 2 of 3: building studios/base:latest', fraction: 2 / 3 },
      ),
    ).toEqual({
      text: 'Building the Studio image · Step 2 of 3: building studios/base:latest',
      title: `${building}\nBuilding the Studio image · Step 2 of 3: building studios/base:latest`,
      fraction: 2 / 3,
      error: false,
    });
  });

  it('does not repeat the label when the message already starts with it', () => {
    const line = runtimeStatusLine(
      { state: 'starting', machineType: 'cpu-small' },
      { operation: 'image-build', message: 'Building the Studio image studios/base:latest', fraction: 0 },
    );
    expect(line).toMatchObject({ text: 'Building the Studio image studios/base:latest', fraction: 0 });
  });

  it('shows other operations as they are, without a bar', () => {
    expect(
      runtimeStatusLine(
        { state: 'starting', machineType: 'cpu-small' },
        { operation: 'start', message: 'Starting the Studio container' },
      ),
    ).toEqual({
      text: 'Starting the Studio container',
      title: 'Starting the Studio container',
      error: false,
    });
  });

  it('falls back to the state message while starting or after an error, and shows nothing otherwise', () => {
    expect(
      runtimeStatusLine({ state: 'starting', machineType: 'cpu-small', message: building }, null),
    ).toEqual({
      text: building,
      title: building,
      error: false,
    });
    expect(
      runtimeStatusLine({ state: 'error', machineType: 'cpu-small', message: 'Boom.' }, null),
    ).toMatchObject({
      text: 'Boom.',
      error: true,
    });
    expect(runtimeStatusLine({ state: 'running', machineType: 'cpu-small', message: 'x' }, null)).toBeNull();
    expect(runtimeStatusLine({ state: 'stopped', machineType: 'cpu-small' }, null)).toBeNull();
  });
});
