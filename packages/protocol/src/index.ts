// The Studios wire contract: every REST body, socket message, close code and error code.
// Named exports only (house rule 3): add a line here when a module gains an export.
export {
  AGENT_FRAME_HEADER_BYTES,
  AGENT_INITIAL_WINDOW,
  AGENT_MAX_FRAME_PAYLOAD,
  AGENT_PROTOCOL_VERSION,
  type AgentFrame,
  AgentFrameDecoder,
  AgentFrameType,
  AgentProtocolError,
  decodeWindow,
  encodeAgentFrame,
  encodeAgentFrameHeader,
  encodeWindow,
} from './agent/frames';
export {
  AGENT_FAILURE_CODES,
  AgentChannelClose,
  AgentDocRead,
  AgentFailure,
  type AgentFailureCode,
  AgentFileStamp,
  AgentHello,
  type AgentOp,
  AgentReply,
  AgentRequest,
  AgentTreeChange,
  AgentWatchEvent,
  AgentWelcome,
} from './agent/messages';
export {
  Email,
  LoginBody,
  Password,
  SignupBody,
  TokenCreateBody,
  TokenCreated,
  TokenSummary,
  User,
} from './auth';
export { CloseCode, FATAL_CLOSE_CODES } from './close-codes';
export {
  COLLAB_MAX_FRAME_BYTES,
  type CollabAwarenessUser,
  collabRoomForPath,
  TEXT_SOURCE_NAME,
} from './collab';
export {
  ErrorBody,
  ErrorCode,
  isStudiosError,
  StudiosError,
  type StudiosErrorDetails,
  type StudiosErrorOptions,
  ValidationIssue,
} from './errors';
export { EVENTS_PROTOCOL_VERSION, StudioEvent } from './events';
export { FileCreateBody, FileEntry, FileMoveBody, MAX_TEXT_DOCUMENT_BYTES, WorkspacePath } from './files';
export {
  CellRun,
  CellRunState,
  InputPrompt,
  KernelSpec,
  KernelSpecList,
  KernelState,
  KernelStatus,
  MAX_CELLS_PER_RUN,
  MAX_NOTEBOOK_DOCUMENT_BYTES,
  NOTEBOOK_KERNEL_KEY,
  NOTEBOOK_KERNEL_MAP,
  NOTEBOOK_RUNS_MAP,
  NotebookClearOutputsBody,
  NotebookInputBody,
  NotebookKernelBody,
  NotebookRunBody,
  NotebookUser,
} from './notebooks';
export { MachineSwitchBody, MachineType, MachineTypeId, StudioRuntimeStatus, StudioState } from './runtime';
export {
  SSH_PUBLIC_KEY_MAX_CHARS,
  SSH_RSA_MIN_BITS,
  SshConnectInfo,
  SshGatewayInfo,
  SshKeyAddBody,
  SshKeyAlgorithm,
  SshKeySummary,
  SshSessionInfo,
  SshSessionList,
  studioSlug,
} from './ssh';
export {
  Member,
  MemberAddBody,
  MemberPatchBody,
  Role,
  RoleAbility,
  Studio,
  StudioCreateBody,
  StudioName,
  StudioPatchBody,
} from './studios';
export {
  TERMINAL_FLOW,
  TERMINAL_MAX_FRAME_BYTES,
  TERMINAL_PROTOCOL_VERSION,
  TerminalAttachee,
  TerminalClientMessage,
  TerminalCreateBody,
  TerminalInfo,
  TerminalRenameBody,
  TerminalServerMessage,
} from './terminal';
export { normalizeWorkspacePath } from './workspace-path';
