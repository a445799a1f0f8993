import { describe, expect, it } from 'vitest';
import { checkLayers, type LayerException, type SourceFile } from './check-layers';

/** A one-line file importing `specifier`. */
const importing = (path: string, specifier: string): SourceFile => ({
  path,
  text: `import { x } from '${specifier}';\n`,
});

/** The rules (and specifiers) reported for `files`, with no exceptions in play. */
const rulesBroken = (files: SourceFile[], exceptions: LayerException[] = []) =>
  checkLayers(files, exceptions).map(({ file, rule, specifier }) => `${file} ${rule} ${specifier}`);

describe('checkLayers: deliberately wrong imports are reported', () => {
  it.each([
    ['protocol imports nothing of ours', 'packages/protocol/src/x.ts', '@studios/base', 'layer'],
    ['base imports nothing of ours', 'packages/base/src/x.ts', '@studios/protocol', 'layer'],
    ['base imports no npm package either', 'packages/base/src/x.ts', 'zod', 'self-contained'],
    ['base reaches no Node module', 'packages/base/src/x.ts', 'node:timers', 'self-contained'],
    ['runtime may not import collab', 'packages/runtime/src/x.ts', '@studios/collab', 'layer'],
    ['collab may not import terminal', 'packages/collab/src/x.ts', '@studios/terminal', 'layer'],
    ['a package never imports an app', 'packages/terminal/src/x.ts', '@studios/server', 'layer'],
    [
      'nor reaches one by path',
      'packages/terminal/src/x.ts',
      '../../../apps/server/src/main',
      'outside-workspace',
    ],
    ['the web never imports the server', 'apps/web/src/api/x.ts', '@studios/server', 'layer'],
    [
      'no deep path into a package',
      'apps/server/src/x.ts',
      '@studios/runtime/src/docker/docker-driver',
      'front-door',
    ],
    ['product code never imports testkit', 'packages/collab/src/x.ts', '@studios/testkit', 'test-code'],
    [
      'product code never imports fixtures',
      'packages/runtime/src/local/x.ts',
      '../testing/local-process',
      'test-code',
    ],
    ['collab never opens files itself', 'packages/collab/src/disk/x.ts', 'node:fs/promises', 'forbidden'],
    ['nor do terminals', 'packages/terminal/src/x.ts', 'node:fs', 'forbidden'],
    ['dockerode only in the Docker driver', 'apps/server/src/x.ts', 'dockerode', 'confined'],
    ['dockerode not in the local driver', 'packages/runtime/src/local/x.ts', 'dockerode', 'confined'],
    ['node-pty only in the local driver', 'packages/runtime/src/docker/x.ts', 'node-pty', 'confined'],
    ['the collab client only in the web api', 'apps/web/src/features/editor/x.ts', 'y-websocket', 'confined'],
    [
      'a feature never reaches into another',
      'apps/web/src/features/dashboard/x.tsx',
      '../runtime/StudioStateBadge',
      'web-feature',
    ],
    ['a feature never imports the shell', 'apps/web/src/features/auth/x.tsx', '../../app/App', 'web-layer'],
    ['shared never imports a feature', 'apps/web/src/shared/x.ts', '../features/files', 'web-layer'],
    ['ui knows nothing of Studios', 'apps/web/src/ui/x.tsx', '../shared/session', 'web-layer'],
    ['api imports no components', 'apps/web/src/api/x.ts', '../ui/Toast', 'web-layer'],
    ['a new workspace needs a row', 'packages/new-part/src/x.ts', '@studios/runtime', 'layer'],
    ['zeromq only in the kernel client', 'packages/kernels/src/manager/x.ts', 'zeromq', 'confined'],
    ['kernels never write notebooks themselves', 'packages/kernels/src/x.ts', '@studios/collab', 'layer'],
  ])('%s', (_why, path, specifier, rule) => {
    expect(rulesBroken([importing(path, specifier)])).toEqual([`${path} ${rule} ${specifier}`]);
  });

  it('reports network calls in the web outside src/api/, with their line', () => {
    const file: SourceFile = {
      path: 'apps/web/src/features/files/x.ts',
      text: "// fetch( here is only a comment\nconst res = await fetch('/api');\nconst ws = new WebSocket(url);\n",
    };
    expect(
      checkLayers([file], []).map(({ line, rule, specifier }) => `${line} ${rule} ${specifier}`),
    ).toEqual(['2 web-network fetch(', '3 web-network new WebSocket']);
  });
});

describe('checkLayers: what the layering allows', () => {
  it('passes imports that follow the rules', () => {
    const files: SourceFile[] = [
      importing('packages/base/src/clock.ts', './disposable'),
      importing('packages/base/src/clock.test.ts', 'vitest'),
      importing('packages/protocol/src/errors.ts', 'zod'),
      importing('packages/terminal/src/x.ts', '@studios/runtime'),
      importing('packages/collab/src/x.test.ts', '@studios/testkit'),
      importing('packages/collab/src/testing/x.ts', '@studios/testkit'),
      importing('packages/runtime/src/local/x.test.ts', '../testing/local-process'),
      importing('packages/runtime/src/docker/x.ts', 'dockerode'),
      importing('packages/runtime/src/local/x.ts', 'node-pty'),
      importing('apps/server/src/x.integration.test.ts', 'y-websocket'),
      importing('apps/server/src/x.ts', '@studios/terminal'),
      importing('e2e/specs/x.e2e.test.ts', '@studios/testkit'),
      importing('bench/src/lib/x.ts', '@studios/testkit'),
      importing('apps/web/src/api/collab-socket.ts', 'y-websocket'),
      importing('apps/web/src/features/studio-shell/x.tsx', '../runtime'),
      importing('apps/web/src/features/studio-shell/y.tsx', '../runtime/index'),
      importing('apps/web/src/features/runtime/x.tsx', './RuntimeControls'),
      importing('apps/web/src/features/runtime/y.tsx', '../../shared/StudioStateBadge'),
      importing('apps/web/src/app/App.tsx', '../features/dashboard/DashboardPage'),
      importing('apps/web/src/main.tsx', './app/App'),
      { path: 'apps/web/src/api/http.ts', text: 'await fetch(url);\n' },
    ];
    expect(rulesBroken(files)).toEqual([]);
  });

  it('lets an exception through and reports one that matches nothing any more', () => {
    const exception = {
      file: 'apps/web/src/features/studio-shell/StudioPage.tsx',
      specifier: '../editor/EditorArea',
      why: 'test',
    };
    const file = importing(exception.file, exception.specifier);
    expect(rulesBroken([file], [exception])).toEqual([]);
    expect(rulesBroken([], [exception])).toEqual([`${exception.file} stale-exception ../editor/EditorArea`]);
  });
});
