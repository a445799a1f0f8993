import { describe, expect, it } from 'vitest';
import { parseArgs, splitCommand } from './args';
import { UsageError } from './cli-error';

const GROUPS = new Set(['key']);

describe('splitCommand', () => {
  it('takes one word, or two for a group', () => {
    expect(splitCommand(['list', '--json'], GROUPS)).toEqual({ words: ['list'], rest: ['--json'] });
    expect(splitCommand(['key', 'add', 'a.pub'], GROUPS)).toEqual({ words: ['key', 'add'], rest: ['a.pub'] });
    expect(splitCommand(['ssh-config', 'demo'], GROUPS)).toEqual({ words: ['ssh-config'], rest: ['demo'] });
  });

  it('skips global flags and their values wherever they stand', () => {
    expect(splitCommand(['--server', 'http://x', 'key', '--token', 't', 'list'], GROUPS)).toEqual({
      words: ['key', 'list'],
      rest: ['--server', 'http://x', '--token', 't'],
    });
    expect(splitCommand(['--server=http://x', 'list'], GROUPS)).toEqual({
      words: ['list'],
      rest: ['--server=http://x'],
    });
  });

  it('leaves everything after -- to the command', () => {
    expect(splitCommand(['ssh-config', '--', '--odd-name'], GROUPS)).toEqual({
      words: ['ssh-config'],
      rest: ['--', '--odd-name'],
    });
  });
});

describe('parseArgs', () => {
  const flags = { name: { type: 'string' }, json: { type: 'boolean' } } as const;

  it('reads flags in both spellings, global flags and positionals', () => {
    const args = parseArgs(
      ['a.pub', '--name=laptop', '--server', 'http://x', '--json'],
      flags,
      { min: 0, max: 1 },
      'key add',
    );
    expect(args.positionals).toEqual(['a.pub']);
    expect(args.flags).toMatchObject({ name: 'laptop', server: 'http://x', json: true });
  });

  const usage = (argv: string[], positionals = { min: 0, max: 1 }) => {
    try {
      parseArgs(argv, flags, positionals, 'key add');
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).exitCode).toBe(2);
      expect((error as UsageError).command).toBe('key add');
      return (error as Error).message;
    }
    throw new Error('expected a usage error');
  };

  it('names what is wrong as a usage error', () => {
    expect(usage(['--bogus'])).toBe('unknown option --bogus');
    expect(usage(['--name'])).toBe('--name needs a value');
    expect(usage(['--name='])).toBe('--name needs a value');
    expect(usage(['a', 'b'])).toBe("unexpected argument 'b'");
    expect(usage([], { min: 1, max: 1 })).toBe('missing argument');
  });

  it('lets --help through without checking the positionals', () => {
    expect(parseArgs(['--help'], flags, { min: 1, max: 1 }, 'key add').flags.help).toBe(true);
    expect(parseArgs(['-h'], flags, { min: 1, max: 1 }, 'key add').flags.help).toBe(true);
  });
});
