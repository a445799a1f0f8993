import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDirs } from '@studios/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { configPath, readConfig, removeConfig, writeConfig } from './config-file';
import { resolveCredentials } from './session';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

const mode = (path: string) => statSync(path).mode & 0o777;

describe('config file', () => {
  it('lives under XDG_CONFIG_HOME when it is absolute, else ~/.config', () => {
    expect(configPath({ XDG_CONFIG_HOME: '/x/conf' }, '/home/ada')).toBe('/x/conf/studios/config.json');
    expect(configPath({ XDG_CONFIG_HOME: 'relative' }, '/home/ada')).toBe(
      '/home/ada/.config/studios/config.json',
    );
    expect(configPath({}, '/home/ada')).toBe('/home/ada/.config/studios/config.json');
  });

  it('is stored for its owner only, read back, and removed', () => {
    const path = configPath({}, dirs.make());
    expect(readConfig(path)).toBeUndefined();
    writeConfig(path, { server: 'http://127.0.0.1:1', token: 'stu_secret' });
    expect(mode(path)).toBe(0o600);
    expect(mode(join(path, '..'))).toBe(0o700);
    expect(readConfig(path)).toEqual({ server: 'http://127.0.0.1:1', token: 'stu_secret' });
    expect(removeConfig(path)).toBe(true);
    expect(removeConfig(path)).toBe(false);
  });

  it('says how to recover from a damaged file', () => {
    const path = join(dirs.make(), 'config.json');
    writeFileSync(path, '{"server": 1');
    expect(() => readConfig(path)).toThrow(`${path} is damaged: remove it and run studios login`);
  });
});

describe('resolveCredentials', () => {
  const setUp = () => {
    const home = dirs.make();
    writeConfig(configPath({}, home), { server: 'https://studios.example.com/', token: 'stu_stored' });
    return home;
  };
  const resolve = (home: string, flags: Record<string, string>, env: Record<string, string> = {}) =>
    resolveCredentials(
      { flags, positionals: [] },
      {
        env,
        home,
        hostname: 'h',
        out: () => {},
        err: () => {},
        readSecret: async () => undefined,
        fetch,
      },
    );

  it('takes flags over the environment over the stored config', () => {
    const home = setUp();
    expect(resolve(home, {})).toEqual({ server: 'https://studios.example.com', token: 'stu_stored' });
    expect(resolve(home, {}, { STUDIOS_TOKEN: 'stu_env' }).token).toBe('stu_env');
    expect(resolve(home, { token: 'stu_flag' }, { STUDIOS_TOKEN: 'stu_env' }).token).toBe('stu_flag');
  });

  it('never sends the stored token to another server', () => {
    const home = setUp();
    expect(() => resolve(home, { server: 'https://evil.example.com' })).toThrow(
      'not signed in to https://evil.example.com: run studios login --server https://evil.example.com',
    );
    expect(() => resolve(home, {}, { STUDIOS_SERVER: 'https://evil.example.com' })).toThrow(/not signed in/);
    expect(resolve(home, { server: 'https://studios.example.com' }).token).toBe('stu_stored');
  });

  it('does without a damaged config file when flags name server and token', () => {
    const home = dirs.make();
    const path = configPath({}, home);
    writeConfig(path, { server: 'x', token: 'y' });
    writeFileSync(path, 'not json');
    expect(resolve(home, { server: 'http://a', token: 'stu_a' })).toEqual({
      server: 'http://a',
      token: 'stu_a',
    });
    expect(() => resolve(home, { server: 'http://a' })).toThrow(/is damaged/);
  });

  it('says to log in when nothing names a server', () => {
    expect(() => resolve(dirs.make(), {})).toThrow('no Studios server: run studios login --server <url>');
  });
});
