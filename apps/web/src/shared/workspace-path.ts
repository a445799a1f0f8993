// Workspace-relative paths as the API and the explorer write them: `/`-separated, no leading slash.

/** The folder holding `path` ('' for the workspace root). */
export function parentPath(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/** The last segment of `path`: a file or folder name. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `name` inside `directory` ('' for the workspace root). */
export function joinPath(directory: string, name: string): string {
  return directory ? `${directory}/${name}` : name;
}

/** Whether `path` is `ancestor` itself or lies inside it. */
export function isWithin(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`);
}
