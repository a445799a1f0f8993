import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker?worker';
import CssWorker from 'monaco-editor/esm/vs/language/css/css.worker?worker';
import HtmlWorker from 'monaco-editor/esm/vs/language/html/html.worker?worker';
import JsonWorker from 'monaco-editor/esm/vs/language/json/json.worker?worker';
import TsWorker from 'monaco-editor/esm/vs/language/typescript/ts.worker?worker';

// Monaco 0.57 asks MonacoEnvironment.getWorker for every worker once it is defined, including
// the language services it bundles, so each label needs its own worker entry point.
self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string) {
    switch (label) {
      case 'typescript':
      case 'javascript':
        return new TsWorker();
      case 'json':
        return new JsonWorker();
      case 'css':
      case 'scss':
      case 'less':
        return new CssWorker();
      case 'html':
      case 'handlebars':
      case 'razor':
        return new HtmlWorker();
      default:
        return new EditorWorker();
    }
  },
};

// A workspace file is one file among many the browser cannot see: type errors about unresolved
// imports would be noise, so only syntax errors are reported.
for (const defaults of [monaco.typescript.typescriptDefaults, monaco.typescript.javascriptDefaults]) {
  defaults.setDiagnosticsOptions({ noSemanticValidation: true, noSyntaxValidation: false });
}

monaco.editor.defineTheme('studios-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: {
    'editor.background': '#111215',
    'editor.lineHighlightBackground': '#1b1c21',
    'editorLineNumber.foreground': '#4b4e58',
    'editorLineNumber.activeForeground': '#9a9ca5',
    'editorGutter.background': '#111215',
    'editorWidget.background': '#1b1c21',
    'editorWidget.border': '#33363e',
    'editor.selectionBackground': '#3a3f7a',
    'scrollbarSlider.background': '#33363e80',
  },
});

monaco.editor.defineTheme('studios-light', {
  base: 'vs',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#ffffff', 'editor.lineHighlightBackground': '#f4f4f7' },
});

/** Monaco theme name for the app theme. */
export function monacoTheme(theme: 'dark' | 'light'): string {
  return theme === 'light' ? 'studios-light' : 'studios-dark';
}

export { monaco };
