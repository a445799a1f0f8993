import type { StudioEvent, StudioRuntimeStatus } from '@studios/protocol';

/** The latest `progress` event of the Studio's current operation. */
export type RuntimeProgress = Omit<Extract<StudioEvent, { type: 'progress' }>, 'type'>;

/** What the header's status line shows: words, the full text for the tooltip, and a bar when known. */
export interface RuntimeStatusLine {
  text: string;
  title: string;
  fraction?: number;
  error: boolean;
}

const OPERATION_LABEL: Record<string, string> = { 'image-build': 'Building the Studio image' };

/**
 * The status line for a Studio: the running operation's progress, else the state's own message
 * while starting (e.g. after a reload during an image build) or after a failure.
 */
export function runtimeStatusLine(
  runtime: StudioRuntimeStatus,
  progress: RuntimeProgress | null,
): RuntimeStatusLine | null {
  if (progress) {
    const label = OPERATION_LABEL[progress.operation];
    const text =
      label && !progress.message.startsWith(label) ? `${label} · ${progress.message}` : progress.message;
    const context = runtime.message && runtime.message !== text ? `${runtime.message}\n` : '';
    return {
      text,
      title: `${context}${text}`,
      ...(progress.fraction === undefined ? {} : { fraction: progress.fraction }),
      error: false,
    };
  }
  if ((runtime.state === 'error' || runtime.state === 'starting') && runtime.message) {
    return { text: runtime.message, title: runtime.message, error: runtime.state === 'error' };
  }
  return null;
}
