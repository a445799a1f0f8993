import { ErrorCode, StudiosError } from './errors';

/**
 * Validates a client-supplied workspace path and returns it in canonical form
 * (`a/b/c`, no empty or `.` segments). Rejects what could leave the workspace or confuse a later
 * decoding step: `..` segments (also when URL-encoded, `%2e%2e`, `..%2f`), absolute paths,
 * NUL bytes and backslashes. The string is used as given, never decoded.
 */
export function normalizeWorkspacePath(relPath: string): string {
  const outside = (why: string) => new StudiosError(ErrorCode.PathOutsideWorkspace, `Invalid path: ${why}`);
  if (typeof relPath !== 'string' || relPath.length === 0 || relPath.length > 4096) {
    throw new StudiosError(ErrorCode.InvalidRequest, 'Give a path relative to the workspace');
  }
  for (const form of [relPath, ...decodedForms(relPath)]) {
    if (form.includes('\0')) throw outside('NUL byte');
    if (form.includes('\\')) throw outside('backslash');
    if (form.startsWith('/') || /^[a-zA-Z]:/.test(form)) throw outside('absolute path');
    if (form.split('/').some((segment) => segment === '..')) throw outside('parent segment');
  }
  const segments = relPath.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.length === 0)
    throw new StudiosError(ErrorCode.InvalidRequest, 'The workspace root is not a file');
  return segments.join('/');
}

/** The path decoded once and twice, when it decodes at all (`100%.txt` does not, and is fine). */
function decodedForms(relPath: string): string[] {
  const forms: string[] = [];
  let current = relPath;
  for (let i = 0; i < 2; i++) {
    try {
      const decoded = decodeURIComponent(current);
      if (decoded === current) break;
      forms.push(decoded);
      current = decoded;
    } catch {
      break;
    }
  }
  return forms;
}
