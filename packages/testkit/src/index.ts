export { FakeClock, type FakeTimer } from './fake-clock';
export { isolatedHome, removeIsolatedHomes } from './isolated-home';
export { type TempDir, tempDir } from './temp-dir';
export { type WaitForOptions, waitFor } from './wait-for';
