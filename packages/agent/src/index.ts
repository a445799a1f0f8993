// The Studio agent, server side: every Studio's files and ports through the agent that runs
// inside it (src/agent/, bundled and started by the runtime driver). Named exports only.
export { AgentConnection } from './client/agent-connection';
export { type AgentConnector, AgentFiles } from './client/agent-files';
export { AgentHub, type AgentHubOptions } from './host/agent-hub';
export { agentHostPaths, bundleAgent, installAgentRuntime } from './host/agent-runtime';
