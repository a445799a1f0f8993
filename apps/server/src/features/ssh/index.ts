export { type SshFeature, type SshFeatureOptions, sshFeature } from './ssh-feature';
