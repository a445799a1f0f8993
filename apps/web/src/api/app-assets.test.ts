import { describe, expect, it } from 'vitest';
import { chunkFiles } from './app-assets';

// The shape of Vite's manifest for this app: the entry, a lazy page, and a lazy part of it that
// imports the page's chunk and a shared one.
const manifest = {
  'index.html': {
    file: 'assets/index-a.js',
    isEntry: true,
    imports: ['_Shared-b.js'],
    css: ['assets/index-a.css'],
  },
  '_Shared-b.js': { file: 'assets/Shared-b.js' },
  '_Tabs-c.js': { file: 'assets/Tabs-c.js', imports: ['_Shared-b.js'] },
  'src/features/studio-shell/StudioPage.tsx': {
    file: 'assets/StudioPage-d.js',
    imports: ['_Shared-b.js', 'index.html'],
    css: ['assets/StudioPage-d.css'],
  },
  'src/features/terminal/TerminalPanel.tsx': {
    file: 'assets/TerminalPanel-e.js',
    imports: ['src/features/studio-shell/StudioPage.tsx', '_Tabs-c.js'],
    css: ['assets/TerminalPanel-e.css'],
  },
};

describe('chunkFiles', () => {
  it('lists the chunk, its static imports and their CSS, but not the entry the page already runs', () => {
    expect(chunkFiles(manifest, 'src/features/terminal/TerminalPanel.tsx').sort()).toEqual(
      [
        '/assets/Shared-b.js',
        '/assets/StudioPage-d.css',
        '/assets/StudioPage-d.js',
        '/assets/Tabs-c.js',
        '/assets/TerminalPanel-e.css',
        '/assets/TerminalPanel-e.js',
      ].sort(),
    );
  });

  it('lists nothing for a module the manifest does not know', () => {
    expect(chunkFiles(manifest, 'src/nowhere.tsx')).toEqual([]);
  });
});
