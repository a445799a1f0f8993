export { assertLocalDriverAllowed, isLoopbackHost } from './assert-local-driver-allowed';
export { LocalDriver, type LocalDriverOptions } from './local-driver';
export { type LocalUser, lookUpLocalUser } from './run-as';
