import type { Progress } from '../driver';

/** docker/build-images.sh marks every line meant for callers with this prefix. */
export const BUILD_LINE_PREFIX = 'studios-build:';

const STEP = /^step (\d+)\/(\d+):?\s*(.*)$/i;
const ERROR = /^error:\s*/i;

/**
 * A progress line of the image build script as a Progress, or undefined for any other line.
 * `step k/n what` becomes "Step k of n: what" with fraction k/n: the script announces a step
 * when it begins its longest part, so the bar moves in three visible jumps and reaches 1 on
 * `step 3/3 done`.
 */
export function parseBuildLine(line: string): Progress | undefined {
  const text = line.trim();
  if (!text.startsWith(BUILD_LINE_PREFIX)) return undefined;
  const body = text.slice(BUILD_LINE_PREFIX.length).trim();
  if (!body || ERROR.test(body)) return undefined;
  const step = STEP.exec(body);
  if (!step) return { message: body };
  const index = Number(step[1]);
  const total = Number(step[2]);
  const what = step[3] ?? '';
  const message = `Step ${index} of ${total}${what ? `: ${what}` : ''}`;
  if (total < 1 || index < 1 || index > total) return { message };
  return { message, fraction: index / total };
}

/** The reason in an error line the script wrote to stderr (`studios-build: error: …`), prefixes removed. */
export function buildErrorReason(line: string): string {
  let text = line.trim();
  if (text.startsWith(BUILD_LINE_PREFIX)) text = text.slice(BUILD_LINE_PREFIX.length).trim();
  return text.replace(ERROR, '');
}
