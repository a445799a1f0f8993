import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '@studios/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { readDockerDnsServers } from './host-resolvers';
import { formatIpv4 } from './ipv4';

describe("Docker's upstream DNS servers", () => {
  const { dir, cleanup } = tempDir('studios-dns-');
  afterAll(cleanup);
  const paths = {
    daemonJson: join(dir, 'daemon.json'),
    resolvConf: join(dir, 'resolv.conf'),
    systemdResolvConf: join(dir, 'systemd-resolv.conf'),
  };
  const read = async () => (await readDockerDnsServers(paths)).map(formatIpv4);

  it("reads the host's nameservers, leaving out loopback ones (dockerd reaches those from the host)", async () => {
    writeFileSync(
      paths.resolvConf,
      '# comment\nnameserver 10.255.255.53\nnameserver 127.0.0.1\nnameserver fd00::53\n',
    );
    expect(await read()).toEqual(['10.255.255.53']);
  });

  it("follows systemd-resolved's upstream list when resolv.conf names only its stub", async () => {
    writeFileSync(paths.resolvConf, 'nameserver 127.0.0.53\noptions edns0\n');
    writeFileSync(paths.systemdResolvConf, 'nameserver 192.168.1.1\n');
    expect(await read()).toEqual(['192.168.1.1']);
  });

  it("prefers daemon.json's dns setting, as dockerd does", async () => {
    writeFileSync(paths.daemonJson, JSON.stringify({ dns: ['10.0.0.2', 'not-an-ip'] }));
    expect(await read()).toEqual(['10.0.0.2']);
  });
});
