import { randomBytes } from 'node:crypto';
import type { MachineType } from '@studios/protocol';
import { emptyAgentFolders } from '@studios/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import type { Progress } from '../driver';
import { MachineCatalog } from '../machines/catalog';
import { DockerDriver } from './docker-driver';

const suffix = randomBytes(4).toString('hex');
const machine = (id: string, image: string, gpus = 0): MachineType => ({
  id,
  label: id,
  cpus: 1,
  memoryMb: 512,
  pids: 64,
  gpus,
  image,
});

// prepare() on the real engine for the images it must not build. The build itself is covered
// end to end in apps/server (image-build.integration.test.ts) with a stand-in build script.
describe('DockerDriver.prepare', () => {
  const types = [
    machine('present', 'studios/base:latest'),
    machine('gpu', `studios/gpu:e2e-missing-${suffix}`, 1),
    machine('other', `studios/other:e2e-missing-${suffix}`),
  ];
  // A script that would fail loudly: none of these cases may run it.
  const driver = new DockerDriver({
    catalog: new MachineCatalog(types),
    buildScript: '/nonexistent',
    agent: emptyAgentFolders(),
  });
  const heard: Progress[] = [];
  const listen = (progress: Progress) => heard.push(progress);

  afterAll(() => driver.dispose());

  it('resolves without a build or progress when the image is there', async () => {
    await driver.prepare(types[0] as MachineType, listen);
    expect(heard).toEqual([]);
  });

  it('refuses a missing GPU image with the steps from docker/gpu/Dockerfile', async () => {
    const image = `studios/gpu:e2e-missing-${suffix}`;
    await expect(driver.prepare(types[1] as MachineType, listen)).rejects.toThrow(
      `The Studio image ${image} is not built on this host, and Studios cannot build it here (its CUDA base ` +
        `comes from a registry). On a host where \`docker pull nvidia/cuda\` works, run \`docker build -t ${image} ` +
        '-f docker/gpu/Dockerfile docker/gpu`, then load the image here, or choose a CPU machine type.',
    );
    expect(heard).toEqual([]);
  });

  it('refuses another missing image it has no recipe for', async () => {
    await expect(driver.prepare(types[2] as MachineType, listen)).rejects.toMatchObject({
      code: 'runtime_error',
      message: `The Studio image studios/other:e2e-missing-${suffix} is not built on this host. Run scripts/setup/ensure-images.sh`,
    });
    expect(heard).toEqual([]);
  });
});
