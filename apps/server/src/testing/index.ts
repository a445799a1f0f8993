// Test helpers for the server and for features' own integration tests.
export { captureLogger } from './capture-logger';
export { FakeClock } from './fake-clock';
export { connectSocket, type TestSocket, UpgradeRejectedError, upgradeStatus } from './socket-client';
export {
  createTestConfig,
  createTestServer,
  jsonInit,
  type ListeningTestServer,
  sessionCookieFrom,
  signUp,
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from './test-server';
export { type WaitForOptions, waitFor } from './wait-for';
