import { useEffect, useRef, useState } from 'react';
import { MonacoBinding } from 'y-monaco';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { monaco, monacoTheme } from '../../shared/monaco-setup';
import { currentTheme } from '../../shared/theme';

const LINE_HEIGHT = 20;
// Room above the first line for a remote cursor's name label (it sits above the caret).
const PADDING_TOP = 12;
const PADDING_BOTTOM = 8;

export interface CellEditorProps {
  source: Y.Text;
  language: string;
  awareness: Awareness;
  readOnly: boolean;
  /** The notebook is in edit mode on this cell: the editor exists and has focus. */
  editing: boolean;
  /** Called when the editor gets focus (a click into it): the notebook enters edit mode here. */
  onFocus(): void;
  /** Shared by a notebook's editors: the selection this user last had in a focused editor. */
  selectionKeeper: { current: unknown };
  testId: string;
}

/** Cells this close to the viewport get a live editor; the rest show highlighted text. */
const NEAR_VIEWPORT = '600px 0px';

/**
 * One cell's source. Monaco weighs a few MB per hundred editors, so a cell gets one only while
 * it is near the viewport or being edited; otherwise its text is shown coloured by Monaco's
 * tokenizer, at the same size, so nothing jumps when the editor replaces it.
 */
export function CellEditor(props: CellEditorProps) {
  const { source, editing } = props;
  const holder = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(false);

  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    // The margin only reaches beyond what is visible when measured against the scrolling list.
    const observer = new IntersectionObserver((entries) => setNear(entries.some((e) => e.isIntersecting)), {
      root: element.closest('[data-notebook-root]'),
      rootMargin: NEAR_VIEWPORT,
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  return (
    <div className="nb-cell-editor" ref={holder} data-testid={props.testId}>
      {near || editing ? (
        <LiveEditor {...props} />
      ) : (
        <StaticSource source={source} language={props.language} />
      )}
    </div>
  );
}

function StaticSource({ source, language }: { source: Y.Text; language: string }) {
  const [text, setText] = useState(() => source.toString());
  const [html, setHtml] = useState<string | null>(null);
  useEffect(() => {
    const update = () => setText(source.toString());
    source.observe(update);
    update();
    return () => source.unobserve(update);
  }, [source]);
  useEffect(() => {
    let cancelled = false;
    // colorize escapes the text itself; its HTML is only Monaco's spans with token classes.
    void monaco.editor.colorize(text, language, { tabSize: 4 }).then((coloured) => {
      if (!cancelled) setHtml(coloured);
    });
    return () => {
      cancelled = true;
    };
  }, [text, language]);
  const lines = Math.max(1, text.split('\n').length);
  return html === null ? (
    <pre
      className="nb-static-source"
      style={{ minHeight: lines * LINE_HEIGHT + PADDING_TOP + PADDING_BOTTOM }}
    >
      {text}
    </pre>
  ) : (
    <div
      className="nb-static-source"
      style={{ minHeight: lines * LINE_HEIGHT + PADDING_TOP + PADDING_BOTTOM }}
      // biome-ignore lint/security/noDangerouslySetInnerHtml: Monaco's colorize escapes the source
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}

function LiveEditor({
  source,
  language,
  awareness,
  readOnly,
  editing,
  onFocus,
  selectionKeeper,
}: CellEditorProps) {
  const container = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const onFocusRef = useRef(onFocus);
  onFocusRef.current = onFocus;

  // readOnly and editing are applied by the effects below without rebuilding the editor.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const model = monaco.editor.createModel('', language);
    const editor = monaco.editor.create(element, {
      model,
      theme: monacoTheme(currentTheme()),
      readOnly,
      readOnlyMessage: { value: 'You can view this notebook but not edit it.' },
      fontFamily:
        "ui-monospace, 'SF Mono', 'Cascadia Code', 'JetBrains Mono', Menlo, Consolas, 'DejaVu Sans Mono', monospace",
      fontSize: 13,
      lineHeight: LINE_HEIGHT,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      scrollbar: { vertical: 'hidden', alwaysConsumeMouseWheel: false, horizontalScrollbarSize: 8 },
      overviewRulerLanes: 0,
      lineNumbers: 'off',
      glyphMargin: false,
      folding: false,
      lineDecorationsWidth: 8,
      padding: { top: PADDING_TOP, bottom: PADDING_BOTTOM },
      renderLineHighlight: 'none',
      automaticLayout: true,
      wordWrap: 'off',
      tabSize: 4,
      fixedOverflowWidgets: true,
    });
    editorRef.current = editor;
    const binding = new MonacoBinding(source, model, new Set([editor]), awareness);
    const fit = () => {
      element.style.height = `${editor.getContentHeight()}px`;
    };
    const sizeListener = editor.onDidContentSizeChange(fit);
    fit();
    const focusListener = editor.onDidFocusEditorText(() => {
      onFocusRef.current();
      if (selectionKeeper.current) awareness.setLocalStateField('selection', selectionKeeper.current);
    });
    // y-monaco publishes any cursor move of any cell editor, including an unfocused one whose
    // cursor a remote edit shifted: keep publishing the focused editor's selection instead.
    const selectionListener = editor.onDidChangeCursorSelection(() => {
      if (editor.hasTextFocus()) selectionKeeper.current = awareness.getLocalState()?.selection ?? null;
      else awareness.setLocalStateField('selection', selectionKeeper.current);
    });
    if (editing) editor.focus();
    return () => {
      sizeListener.dispose();
      focusListener.dispose();
      selectionListener.dispose();
      binding.destroy();
      editor.dispose();
      model.dispose();
      editorRef.current = null;
    };
  }, [source, awareness]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model) monaco.editor.setModelLanguage(model, language);
  }, [language]);

  useEffect(() => {
    editorRef.current?.updateOptions({ readOnly });
  }, [readOnly]);

  useEffect(() => {
    const editor = editorRef.current;
    if (editing && editor && !editor.hasTextFocus()) editor.focus();
  }, [editing]);

  return <div className="nb-monaco" ref={container} />;
}
