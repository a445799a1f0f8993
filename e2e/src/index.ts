export { ApiUser } from './harness/api';
export { launchBrowser, type TestBrowser } from './harness/browser';
export { keepFailureArtifacts, tearDownSpec } from './harness/diagnostics';
export { dockerAvailable, studioContainerState } from './harness/docker';
export {
  editorText,
  openFileInEditor,
  openStudio,
  type Person,
  recordedStudioStates,
  recordStudioStates,
  remoteCursorLabels,
  signedInPerson,
  terminalRows,
  typeAtEnd,
  waitForEditorText,
  waitForStudioState,
  waitForTerminalRow,
} from './harness/studio-page';
export { type StudiosServer, startStudiosServer } from './harness/studios-server';
