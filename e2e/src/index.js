export { ApiUser } from './harness/api';
export { launchBrowser } from './harness/browser';
export { startStudiosServer } from './harness/studios-server';
export { waitFor } from './harness/wait-for';
