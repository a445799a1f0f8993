// Front door of features/members/ for other features: the members dialog.
export { MembersDialog } from './MembersDialog';
