export { isolatedHome, removeIsolatedHomes } from './isolated-home';
