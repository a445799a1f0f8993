export { emptyAgentFolders } from './agent-folders';
export { FakeClock } from './fake-clock';
export { isolatedHome, removeIsolatedHomes } from './isolated-home';
export { findProcesses } from './processes';
export { type TempDir, type TempDirs, tempDir, tempDirs } from './temp-dir';
export { type WaitForOptions, waitFor } from './wait-for';
