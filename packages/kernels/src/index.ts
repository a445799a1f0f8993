// @studios/kernels: Jupyter kernels running inside Studios, driven by the server.
// Named exports only (house rule 3).
export type { DisplayOutput, ExecuteEvent, NbOutput } from './wire/nbformat-output';
