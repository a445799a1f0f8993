import type { Scenario } from '../lib/scenario';
import { s2Fanout } from './s2-fanout';
import { s3ColdJoin } from './s3-cold-join';
import { s4LeakSoak } from './s4-leak-soak';
import { s5TerminalThroughput } from './s5-terminal-throughput';
import { s6TerminalFlood } from './s6-terminal-flood';
import { s7StudioStart } from './s7-studio-start';
import { s8KernelRoundTrip } from './s8-kernel-roundtrip';
import { s9SshTransfer } from './s9-ssh-transfer';
import { s11AgentFiles } from './s11-agent-files';

/** Every scenario the runner knows, in the order a full run executes them. */
export const SCENARIOS: readonly Scenario[] = [
  s2Fanout,
  s3ColdJoin,
  s4LeakSoak,
  s5TerminalThroughput,
  s6TerminalFlood,
  s7StudioStart,
  s8KernelRoundTrip,
  s9SshTransfer,
  s11AgentFiles,
];
