import { describe, expect, it } from 'vitest';
import { MachineCatalog } from '../machines/catalog';
import { buildContainerSpec, machineHostConfig } from './container-spec';

const catalog = new MachineCatalog();

describe('buildContainerSpec', () => {
  it('builds a hardened container from a catalog machine type', () => {
    const spec = buildContainerSpec({
      studioId: 's1',
      name: 'studios-s1',
      workspaceDir: '/srv/ws/s1',
      machine: catalog.get('cpu-small'),
      network: 'studios-s1',
      hostCpus: 8,
      agent: { runtimeDir: '/srv/agent', socketDir: '/srv/sockets/s1' },
    });
    expect(spec).toMatchObject({
      Image: 'studios/base:latest',
      Hostname: 'studio',
      User: '0:0',
      WorkingDir: '/workspace',
      Labels: { 'io.studios.studio': 's1', 'io.studios.machine': 'cpu-small' },
    });
    const host = spec.HostConfig ?? {};
    expect(host).toMatchObject({
      Init: true,
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      NetworkMode: 'studios-s1',
      PidsLimit: 512,
      Memory: 4096 * 1024 * 1024,
      MemorySwap: 4096 * 1024 * 1024,
      NanoCpus: 2e9,
      Mounts: [
        { Type: 'bind', Source: '/srv/ws/s1', Target: '/workspace' },
        // The agent's Node and code, and the server's socket: read-only, so not even root in the
        // container can change or replace them.
        { Type: 'bind', Source: '/srv/agent', Target: '/opt/studios', ReadOnly: true },
        { Type: 'bind', Source: '/srv/sockets/s1', Target: '/run/studios', ReadOnly: true },
      ],
    });
    for (const forbidden of ['SYS_ADMIN', 'NET_RAW', 'MKNOD', 'NET_ADMIN', 'SYS_PTRACE']) {
      expect(host.CapAdd).not.toContain(forbidden);
    }
    expect(host.Binds).toBeUndefined();
    expect(host.Devices).toBeUndefined();
    expect(JSON.stringify(spec)).not.toContain('docker.sock');
  });

  it('clamps CPUs to the host and requests GPUs for GPU machine types', () => {
    expect(machineHostConfig(catalog.get('cpu-large'), 2).NanoCpus).toBe(2e9);
    const gpu = machineHostConfig(catalog.get('gpu-1'), 16);
    expect(gpu.NanoCpus).toBe(8e9);
    expect(gpu.DeviceRequests).toEqual([{ Driver: 'nvidia', Count: 1, Capabilities: [['gpu']] }]);
    expect(machineHostConfig(catalog.get('cpu-small'), 16).DeviceRequests).toBeUndefined();
  });
});
