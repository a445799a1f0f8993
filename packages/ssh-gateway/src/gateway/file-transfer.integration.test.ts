import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeIsolatedHomes } from '@studios/testkit';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GatewayFixture, startGateway } from '../testing/gateway-fixture';
import { runProcess } from '../testing/openssh-client';

describe('SshGateway file transfer (sftp, scp)', () => {
  let fx: GatewayFixture;

  beforeEach(async () => {
    fx = await startGateway();
  });
  afterEach(async () => {
    await fx.dispose();
  });
  afterAll(() => removeIsolatedHomes());

  it('puts and gets a 10 MB random file byte for byte with sftp', async () => {
    const original = join(fx.local, 'random.bin');
    writeFileSync(original, randomBytes(10 * 1024 * 1024));
    const back = join(fx.local, 'back.bin');
    const result = await fx.client.sftp(`put ${original} uploaded.bin\nget uploaded.bin ${back}\n`);
    expect(result.code, result.stderr).toBe(0);
    expect((await runProcess('cmp', [original, join(fx.workspace, 'uploaded.bin')], '')).code).toBe(0);
    expect((await runProcess('cmp', [original, back], '')).code).toBe(0);
    expect(fx.backend.record.execs.at(-1)).toMatchObject({
      cmd: ['/usr/lib/openssh/sftp-server'],
      tty: false,
    });
    expect(fx.backend.record.activity).toContain('sftp');
  });

  it('copies both ways with scp, over sftp and with the legacy protocol', async () => {
    const original = join(fx.local, 'notes.txt');
    writeFileSync(original, 'notes\n'.repeat(10_000));
    for (const legacy of [false, true]) {
      const flag = legacy ? ['-O'] : [];
      const name = legacy ? 'legacy.txt' : 'modern.txt';
      const up = await runProcess(
        'scp',
        [...fx.client.options(flag), '-P', String(fx.port), original, fx.client.remote(name)],
        '',
      );
      expect(up.code, up.stderr).toBe(0);
      expect(readFileSync(join(fx.workspace, name), 'utf8')).toBe(readFileSync(original, 'utf8'));
      const down = join(fx.local, `down-${name}`);
      const get = await runProcess(
        'scp',
        [...fx.client.options(flag), '-P', String(fx.port), fx.client.remote(name), down],
        '',
      );
      expect(get.code, get.stderr).toBe(0);
      expect(readFileSync(down, 'utf8')).toBe(readFileSync(original, 'utf8'));
    }
  });

  it('refuses other subsystems', async () => {
    const result = await fx.client.ssh(['-s', 'netconf']);
    expect(result.code).toBe(255);
    expect(result.stderr).toContain('subsystem request failed');
  });
});
