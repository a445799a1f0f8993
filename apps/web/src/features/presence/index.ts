// Front door of features/presence/ for other features: who else is in the Studio.
export { PresenceAvatars } from './PresenceAvatars';
