// Test helpers for the server and for features' own integration tests.
export { captureLogger } from './capture-logger';
export { connectSocket, type TestSocket, UpgradeRejectedError, upgradeStatus } from './socket-client';
export {
  callAs,
  createStudio,
  type NewStudio,
  openStudioEvents,
  runtimeStatuses,
  StudioTracker,
} from './studio-fixture';
export {
  type Account,
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
