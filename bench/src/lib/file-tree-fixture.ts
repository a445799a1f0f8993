import { chown, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The shape of a generated workspace: `folders` folders of `filesPerFolder` small files each. */
export interface FileTreeShape {
  folders: number;
  filesPerFolder: number;
}

/** How many entries a listing of the tree returns: every folder and every file. */
export function entryCount(shape: FileTreeShape): number {
  return shape.folders * (1 + shape.filesPerFolder);
}

/**
 * Writes the tree under `root` (`dir-000/file-000.txt`…), each file a few bytes naming itself,
 * and returns how many entries it made. `owner` (the Studio user, when the bench runs as root)
 * makes the files look like ones the user created, so the agent reads what it would in a Studio.
 */
export async function writeFileTree(
  root: string,
  shape: FileTreeShape,
  owner?: { uid: number; gid: number },
): Promise<number> {
  const pad = (value: number) => String(value).padStart(3, '0');
  for (let folder = 0; folder < shape.folders; folder++) {
    const dir = join(root, `dir-${pad(folder)}`);
    await mkdir(dir, { recursive: true });
    if (owner) await chown(dir, owner.uid, owner.gid);
    // A folder's files in parallel: creating 10,000 files one by one would cost more than the bench.
    await Promise.all(
      Array.from({ length: shape.filesPerFolder }, async (_unused, file) => {
        const path = join(dir, `file-${pad(file)}.txt`);
        await writeFile(path, `dir ${folder} file ${file}\n`);
        if (owner) await chown(path, owner.uid, owner.gid);
      }),
    );
  }
  return entryCount(shape);
}
