import { writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { tempDir } from '@studios/testkit';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      publicOrigin: undefined,
      maxBodyBytes: 1024 * 1024,
      logLevel: 'info',
      idleMinutes: 30,
      runtime: 'auto',
      allowLocalRuntimeRemote: false,
    });
    expect(isAbsolute(config.dataDir)).toBe(true);
    expect(config.webDist.endsWith('apps/web/dist')).toBe(true);
    expect(config.machineTypes.map((machine) => machine.id)).toEqual(['cpu-small', 'cpu-large', 'gpu-1']);
  });

  it('puts the data folder where `npm start` was typed, not in the workspace npm runs the script in', () => {
    expect(loadConfig({ INIT_CWD: '/srv/studios' }).dataDir).toBe('/srv/studios/.studios');
    expect(loadConfig({ INIT_CWD: '/srv/studios', STUDIOS_DATA_DIR: '/var/lib/studios' }).dataDir).toBe(
      '/var/lib/studios',
    );
  });

  it('reads an operator machine catalog from a file and refuses images outside studios/*', () => {
    const { dir, cleanup } = tempDir('studios-config-');
    const file = join(dir, 'machines.json');
    const small = {
      id: 'tiny',
      label: 'Tiny',
      cpus: 1,
      memoryMb: 512,
      pids: 128,
      gpus: 0,
      image: 'studios/base:latest',
    };
    writeFileSync(file, JSON.stringify([small]));
    expect(loadConfig({ STUDIOS_MACHINE_TYPES_FILE: file }).machineTypes).toEqual([small]);
    writeFileSync(file, JSON.stringify([{ ...small, image: 'evil/miner:latest' }]));
    expect(() => loadConfig({ STUDIOS_MACHINE_TYPES_FILE: file })).toThrow(/STUDIOS_MACHINE_TYPES_FILE/);
    cleanup();
  });

  it('reads and normalises values', () => {
    const config = loadConfig({
      PORT: '9000',
      STUDIOS_DATA_DIR: 'relative/data',
      STUDIOS_PUBLIC_ORIGIN: 'https://studios.example.com:443/',
      STUDIOS_RUNTIME: 'Docker',
      STUDIOS_ALLOW_LOCAL_RUNTIME_REMOTE: 'true',
      STUDIOS_LOG_LEVEL: 'debug',
    });
    expect(config.port).toBe(9000);
    expect(isAbsolute(config.dataDir)).toBe(true);
    expect(config.publicOrigin).toBe('https://studios.example.com');
    expect(config.runtime).toBe('docker');
    expect(config.allowLocalRuntimeRemote).toBe(true);
    expect(config.logLevel).toBe('debug');
  });

  it('names the variable when a value is unusable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ STUDIOS_RUNTIME: 'k8s' })).toThrow(ConfigError);
    expect(() => loadConfig({ STUDIOS_PUBLIC_ORIGIN: 'ftp://x' })).toThrow(/STUDIOS_PUBLIC_ORIGIN/);
    expect(() => loadConfig({ STUDIOS_ALLOW_LOCAL_RUNTIME_REMOTE: 'maybe' })).toThrow(/ALLOW_LOCAL/);
    expect(() => loadConfig({ STUDIOS_ALLOWED_HOSTS: 'https://studios.example.com' })).toThrow(
      /STUDIOS_ALLOWED_HOSTS/,
    );
    expect(() => loadConfig({ STUDIOS_ALLOWED_HOSTS: 'studios.example.com:8080' })).toThrow(/without/);
    expect(() => loadConfig({ STUDIOS_EGRESS_ALLOW: 'proxy.internal:3128' })).toThrow(/STUDIOS_EGRESS_ALLOW/);
    expect(() => loadConfig({ STUDIOS_NETWORK_POOL: '10.213.0.1/16' })).toThrow(/STUDIOS_NETWORK_POOL/);
    expect(() => loadConfig({ STUDIOS_NETWORK_SUBNET_SIZE: '30' })).toThrow(/STUDIOS_NETWORK_SUBNET_SIZE/);
  });

  it('reads the host names, the Studio network pool and the egress allowances', () => {
    const defaults = loadConfig({});
    expect(defaults.allowedHosts).toEqual([]);
    expect(defaults.studioNetwork).toEqual({
      pool: { base: { address: 0x0ad50000, prefix: 16 }, subnetPrefix: 28 },
      egressAllow: [],
    });
    const config = loadConfig({
      STUDIOS_ALLOWED_HOSTS: ' Studios.Internal , *.previews.example.com,',
      STUDIOS_NETWORK_POOL: '10.99.0.0/20',
      STUDIOS_NETWORK_SUBNET_SIZE: '26',
      STUDIOS_EGRESS_ALLOW: '10.0.0.5:3128, 192.168.50.0/24',
    });
    expect(config.allowedHosts).toEqual(['studios.internal', '*.previews.example.com']);
    expect(config.studioNetwork.pool).toEqual({
      base: { address: 0x0a630000, prefix: 20 },
      subnetPrefix: 26,
    });
    expect(config.studioNetwork.egressAllow).toEqual([
      { destination: { address: 0x0a000005, prefix: 32 }, port: 3128 },
      { destination: { address: 0xc0a83200, prefix: 24 } },
    ]);
  });
});
