import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serverFeatureMissing } from './collab-targets';

describe('serverFeatureMissing', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  function checkout(main: string, standard?: string): string {
    const root = mkdtempSync(path.join(os.tmpdir(), 'bench-features-'));
    roots.push(root);
    const features = path.join(root, 'apps/server/src/features');
    for (const feature of ['collab', 'notebooks'])
      mkdirSync(path.join(features, feature), { recursive: true });
    writeFileSync(path.join(root, 'apps/server/src/main.ts'), main);
    if (standard) writeFileSync(path.join(features, 'standard-features.ts'), standard);
    return root;
  }
  const launch = (repoRoot: string) => ({ repoRoot, entry: 'apps/server/src/main.ts' });

  it('finds a feature main.ts imports itself', () => {
    const root = checkout("import { collabFeature } from './features/collab';\n");
    expect(serverFeatureMissing(launch(root), 'collab')).toBeUndefined();
    expect(serverFeatureMissing(launch(root), 'notebooks')).toMatch(/does not register the notebooks/);
  });

  it('follows main.ts into features/standard-features.ts', () => {
    const root = checkout(
      "import { standardFeatures } from './features/standard-features';\n",
      "import { notebooksFeature } from './notebooks';\nimport { collabFeature } from './collab';\n",
    );
    expect(serverFeatureMissing(launch(root), 'notebooks')).toBeUndefined();
    expect(serverFeatureMissing(launch(root), 'collab')).toBeUndefined();
  });

  it('does not count a feature that is only mentioned, or has no folder', () => {
    const root = checkout("// features/notebooks comes later\nimport './features/standard-features';\n", '');
    expect(serverFeatureMissing(launch(root), 'notebooks')).toMatch(/does not register/);
    expect(serverFeatureMissing(launch(root), 'terminals')).toMatch(/does not exist yet/);
  });
});
