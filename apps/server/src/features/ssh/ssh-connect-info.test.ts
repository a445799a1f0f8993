import { describe, expect, it } from 'vitest';
import { connectInfo, gatewayInfo, hostKeyAlias } from './ssh-connect-info';

const hostKey = {
  privateKey: 'unused',
  algorithm: 'ssh-ed25519',
  publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample',
  fingerprint: 'SHA256:abc',
};

describe('SSH connect info', () => {
  it('pins one host key alias per instance, whatever the port', () => {
    expect(hostKeyAlias({ host: 'studios.example.com' })).toBe('studios-studios.example.com');
    const info = gatewayInfo({ enabled: true, host: 'studios.example.com', port: 2222 }, hostKey);
    expect(info.knownHostsLine).toBe(
      'studios-studios.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample',
    );
    expect(info.hostKey).toEqual({
      algorithm: 'ssh-ed25519',
      fingerprint: 'SHA256:abc',
      publicKey: hostKey.publicKey,
    });
  });

  it('writes a config block with strict host key checking and links for both editors', () => {
    const gateway = gatewayInfo({ enabled: true, host: 'studios.example.com', port: 2222 }, hostKey);
    const info = connectInfo(gateway, { id: 'k3f9x2abcdef', name: 'My Project!' });
    expect(info.hostAlias).toBe('studios-my-project-k3f9x2');
    expect(info.sshConfig).toBe(
      [
        'Host studios-my-project-k3f9x2',
        '  HostName studios.example.com',
        '  Port 2222',
        '  User k3f9x2abcdef',
        '  IdentityFile ~/.ssh/id_ed25519',
        '  IdentitiesOnly yes',
        '  HostKeyAlias studios-studios.example.com',
        '  StrictHostKeyChecking yes',
        '  ServerAliveInterval 30',
        '',
      ].join('\n'),
    );
    expect(info.vscodeUri).toBe('vscode://vscode-remote/ssh-remote+studios-my-project-k3f9x2/workspace');
    expect(info.cursorUri).toBe('cursor://vscode-remote/ssh-remote+studios-my-project-k3f9x2/workspace');
  });

  it('keeps names that are not ASCII usable as a host alias', () => {
    const gateway = gatewayInfo({ enabled: true, host: 'localhost', port: 2222 }, hostKey);
    expect(connectInfo(gateway, { id: 'abcdef123', name: 'Über Studio ✨' }).hostAlias).toBe(
      'studios-uber-studio-abcdef',
    );
    expect(connectInfo(gateway, { id: 'abcdef123', name: '✨✨' }).hostAlias).toBe('studios-studio-abcdef');
  });
});
