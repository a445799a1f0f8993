import { describe, expect, it } from 'vitest';
import { COMMANDS, run } from './cli';
import type { CliContext } from './cli-context';

/** Runs the CLI with no server, no config and a throwaway home; returns its exit code and output. */
async function studios(...argv: string[]) {
  let out = '';
  let err = '';
  const ctx: CliContext = {
    env: { XDG_CONFIG_HOME: '/nonexistent/studios-cli-test' },
    home: '/nonexistent/studios-cli-test',
    hostname: 'test',
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    readSecret: async () => undefined,
    fetch: () => Promise.reject(new Error('no network in this test')),
  };
  const code = await run(argv, ctx);
  return { code, out, err };
}

describe('studios (no network)', () => {
  it('prints the overview for --help and help, on stdout with exit 0', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const { code, out, err } = await studios(...argv);
      expect(code).toBe(0);
      expect(err).toBe('');
      for (const command of COMMANDS) expect(out).toContain(command.name);
    }
  });

  it("prints every command's own help", async () => {
    for (const command of COMMANDS) {
      const viaFlag = await studios(...command.name.split(' '), '--help');
      expect(viaFlag.code).toBe(0);
      expect(viaFlag.out).toContain(`Usage: ${command.usage}`);
      expect((await studios('help', ...command.name.split(' '))).out).toBe(viaFlag.out);
    }
  });

  it('answers a bare command or group with its help on stderr and exit 2', async () => {
    const bare = await studios();
    expect(bare.code).toBe(2);
    expect(bare.err).toContain('Usage: studios <command>');
    const group = await studios('key');
    expect(group.code).toBe(2);
    expect(group.err).toContain('key add');
  });

  it('fails usage errors with exit 2 and one line pointing at --help', async () => {
    expect(await studios('frobnicate')).toEqual({
      code: 2,
      out: '',
      err: "studios: unknown command 'frobnicate' (see studios --help)\n",
    });
    expect((await studios('key', 'frob')).err).toBe(
      "studios: unknown command 'key frob' (see studios --help)\n",
    );
    expect((await studios('list', '--bogus')).err).toBe(
      'studios: unknown option --bogus (see studios list --help)\n',
    );
    expect((await studios('ssh-config')).err).toBe(
      'studios: missing argument (see studios ssh-config --help)\n',
    );
    expect((await studios('login', '--server', 'ftp://x')).code).toBe(2);
    expect((await studios('--version')).err).toBe('studios: unknown option --version (see studios --help)\n');
  });

  it('fails with exit 1 and what to do when nothing names a server or token', async () => {
    expect(await studios('list')).toEqual({
      code: 1,
      out: '',
      err: 'studios: no Studios server: run studios login --server <url>\n',
    });
    expect((await studios('login')).err).toBe(
      'studios: --server <url> is required (see studios login --help)\n',
    );
    const noToken = await studios('login', '--server', 'http://127.0.0.1:9');
    expect(noToken.code).toBe(2);
    expect(noToken.err).toMatch(/no token: pass --token <stu_…> or set STUDIOS_TOKEN/);
    const notAToken = await studios('login', '--server', 'http://127.0.0.1:9', '--token', 'abc');
    expect(notAToken.code).toBe(1);
    expect(notAToken.err).toMatch(/not a Studios API token \(those start with stu_\)/);
  });
});
