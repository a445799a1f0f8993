/** The part of Monaco's `ILanguageExtensionPoint` used to pick a language. */
export interface LanguageDescriptor {
  id: string;
  extensions?: string[];
  filenames?: string[];
}

/**
 * The Monaco language id for a path: an exact file name (`Dockerfile`) wins, then the longest
 * matching extension (`.d.ts` before `.ts`), else plain text.
 */
export function languageForPath(path: string, languages: readonly LanguageDescriptor[]): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const lower = name.toLowerCase();
  for (const language of languages) {
    if (language.filenames?.some((filename) => filename.toLowerCase() === lower)) return language.id;
  }
  let best: { id: string; length: number } | null = null;
  for (const language of languages) {
    for (const extension of language.extensions ?? []) {
      const ext = extension.toLowerCase();
      if (lower.endsWith(ext)) {
        if (!best || ext.length > best.length) best = { id: language.id, length: ext.length };
      }
    }
  }
  return best?.id ?? 'plaintext';
}
