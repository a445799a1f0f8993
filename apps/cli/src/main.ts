// The edge of the CLI: the one place that reads the process (environment, streams, terminal).
import { homedir, hostname } from 'node:os';
import { run } from './cli';
import type { CliContext } from './cli-context';
import { readSecret } from './terminal-prompt';

const context: CliContext = {
  env: process.env,
  home: process.env.HOME?.trim() || homedir(),
  hostname: hostname(),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  readSecret: (prompt) => readSecret(prompt, process.stdin, process.stderr),
  fetch: globalThis.fetch,
};

process.exitCode = await run(process.argv.slice(2), context);
