import { describe, expect, it } from 'vitest';
import { languageForPath } from './language';

const languages = [
  { id: 'plaintext', extensions: ['.txt'] },
  { id: 'typescript', extensions: ['.ts', '.tsx', '.cts', '.mts'] },
  { id: 'python', extensions: ['.py', '.pyw'] },
  { id: 'dockerfile', extensions: ['.dockerfile'], filenames: ['Dockerfile'] },
  { id: 'markdown', extensions: ['.md', '.markdown'] },
  { id: 'special', extensions: ['.d.ts'] },
];

describe('languageForPath', () => {
  it('maps extensions case-insensitively', () => {
    expect(languageForPath('src/app.ts', languages)).toBe('typescript');
    expect(languageForPath('main.PY', languages)).toBe('python');
    expect(languageForPath('docs/README.md', languages)).toBe('markdown');
  });

  it('prefers exact file names and the longest extension', () => {
    expect(languageForPath('docker/Dockerfile', languages)).toBe('dockerfile');
    expect(languageForPath('types/index.d.ts', languages)).toBe('special');
  });

  it('falls back to plain text', () => {
    expect(languageForPath('Makefile', languages)).toBe('plaintext');
    expect(languageForPath('archive.tar.zst', languages)).toBe('plaintext');
    expect(languageForPath('.ts', languages)).toBe('typescript');
  });
});
