/**
 * Merges one run into the committed RESULTS.md, per scenario: the scenarios this run measured
 * replace their run line, table rows and notes; every other scenario keeps what its own latest
 * run wrote. (Runs usually pick one scenario: rewriting the whole file lost all the others.)
 */
export interface ResultsSections {
  /** Scenario id → "<start> → <end>, `command`, machine". */
  runs: Map<string, string>;
  /** Scenario id → its table rows, in order. */
  rows: Map<string, string[]>;
  /** Scenario id → its bullet under "## Scenarios" and the note lines below it. */
  notes: Map<string, string[]>;
}

const RUN_LINE = /^(S\d+)(?:–(S\d+))?: (.*)$/;
const ROW = /^\| (S\d+) /;
const NOTE = /^- \*\*(S\d+)\*\*/;

/** Reads the per-scenario parts of a RESULTS.md this module (or an older run.ts) wrote. */
export function parseResults(markdown: string): ResultsSections {
  const sections: ResultsSections = { runs: new Map(), rows: new Map(), notes: new Map() };
  let noteOwner: string | undefined;
  let runLine: string | undefined;
  for (const line of markdown.split('\n')) {
    const run = RUN_LINE.exec(line);
    if (run?.[1]) {
      for (const id of scenarioRange(run[1], run[2])) sections.runs.set(id, run[3] ?? '');
      continue;
    }
    // An older single-run file: one "Run …" line for every scenario in it.
    if (line.startsWith('Run ')) runLine = line.slice(4).replace(/\.$/, '');
    else if (line.startsWith('Command: ') && runLine) runLine += `, ${line.slice(9)}`;
    else if (line.startsWith('Machine: ') && runLine) runLine += `, ${line.slice(9).replace(/\.$/, '')}`;
    const row = ROW.exec(line);
    if (row?.[1]) push(sections.rows, row[1], line);
    const note = NOTE.exec(line);
    if (note?.[1]) {
      noteOwner = note[1];
      sections.notes.set(noteOwner, [line]);
    } else if (noteOwner && line.startsWith('  ')) push(sections.notes, noteOwner, line);
    else if (line.trim() === '') noteOwner = undefined;
  }
  if (runLine) {
    for (const id of new Set([...sections.rows.keys(), ...sections.notes.keys()])) {
      if (!sections.runs.has(id)) sections.runs.set(id, runLine);
    }
  }
  return sections;
}

/** `older` with every scenario of `newer` replaced by newer's. */
export function mergeSections(older: ResultsSections, newer: ResultsSections): ResultsSections {
  const merged: ResultsSections = {
    runs: new Map(older.runs),
    rows: new Map(older.rows),
    notes: new Map(older.notes),
  };
  for (const id of newer.runs.keys()) {
    merged.runs.set(id, newer.runs.get(id) ?? '');
    merged.rows.delete(id);
    merged.notes.delete(id);
    const rows = newer.rows.get(id);
    if (rows) merged.rows.set(id, rows);
    const notes = newer.notes.get(id);
    if (notes) merged.notes.set(id, notes);
  }
  return merged;
}

/** Scenario ids in their natural order (S2 before S11). */
export function scenarioOrder(ids: Iterable<string>): string[] {
  return [...new Set(ids)].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
}

function scenarioRange(first: string, last: string | undefined): string[] {
  if (!last) return [first];
  const ids: string[] = [];
  for (let n = Number(first.slice(1)); n <= Number(last.slice(1)); n++) ids.push(`S${n}`);
  return ids;
}

function push(map: Map<string, string[]>, key: string, line: string): void {
  const lines = map.get(key) ?? [];
  lines.push(line);
  map.set(key, lines);
}

/** The committed RESULTS.md from its per-scenario parts; `intro` is the method paragraph. */
export function renderResults(
  sections: ResultsSections,
  tableHeader: readonly string[],
  intro: string,
): string {
  const ids = scenarioOrder([...sections.runs.keys(), ...sections.rows.keys(), ...sections.notes.keys()]);
  const rows = ids.flatMap((id) => sections.rows.get(id) ?? []).map(splitRow);
  const lines = [
    '# Studios benchmark results',
    '',
    'Rows come from several runs on the same machine; each scenario shows its latest run.',
    ...ids.flatMap((id) => (sections.runs.has(id) ? [`${id}: ${sections.runs.get(id)}`] : [])),
    '',
    intro,
    '',
    padTable([...tableHeader], rows),
    '',
    '## Scenarios',
    '',
    ...ids.flatMap((id) => sections.notes.get(id) ?? []),
  ];
  return `${lines.join('\n')}\n`;
}

/** A table with its columns padded the way Biome formats Markdown (the file stays lint-clean). */
export function padTable(header: string[], rows: readonly string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(3, title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((text, column) => text.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** The cells of a table row (escaped `\|` stays inside its cell). */
function splitRow(line: string): string[] {
  return line
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((text) => text.trim());
}
