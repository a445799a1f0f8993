export { ApiUser } from './harness/api';
export { launchBrowser, type TestBrowser } from './harness/browser';
export { type StudiosServer, startStudiosServer } from './harness/studios-server';
export { waitFor } from './harness/wait-for';
