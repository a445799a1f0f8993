import { describe, expect, it } from 'vitest';
import { mergeSections, parseResults, renderResults } from './results-merge';

const HEADER = ['Scenario', 'Case', 'Verdict'];
const OLD = `# Studios benchmark results

Rows come from several runs on the same machine; each scenario shows its latest run.
S2–S3: 2026-11-25T22:27Z → 2026-11-25T22:34Z, \`npm run bench\`, machine A.
S8: 2026-11-29T23:55Z → 2026-11-29T23:56Z, \`npm run bench -- --scenario S8\`, machine B.

Method.

| Scenario | Case | Verdict  |
| -------- | ---- | -------- |
| S2       | one  | pass     |
| S3       | two  | **FAIL** |
| S8       | old  | **FAIL** |

## Scenarios

- **S2** Fan-out — ran (1.0 s)
  - a note
- **S8** Kernels — ran (2.0 s)
  - old note
`;

describe('RESULTS.md merging', () => {
  it('replaces the scenarios a run measured and keeps every other one', () => {
    const newer = parseResults(`# Studios benchmark results

S8: 2026-11-30T00:06Z → 2026-11-30T00:07Z, \`npm run bench -- --scenario S8\`, machine B.

| Scenario | Case | Verdict |
| -------- | ---- | ------- |
| S8       | new  | pass    |

## Scenarios

- **S8** Kernels — ran (3.0 s)
  - new note
`);
    const merged = renderResults(mergeSections(parseResults(OLD), newer), HEADER, 'Method.');
    expect(merged).toContain('S2: 2026-11-25T22:27Z');
    expect(merged).toContain('S3: 2026-11-25T22:27Z');
    expect(merged).toContain('S8: 2026-11-30T00:06Z');
    expect(merged).toContain('| S2       | one  | pass     |');
    expect(merged).toContain('| S8       | new  | pass     |');
    expect(merged).not.toContain('old');
    expect(merged).toContain('  - a note');
    expect(merged).toContain('  - new note');
  });

  it('reads a file one older single run wrote, crediting its run line to each scenario', () => {
    const sections = parseResults(`# Studios benchmark results

Run 2026-11-30T00:06Z → 2026-11-30T00:07Z.
Command: \`npm run bench -- --scenario S8\`
Machine: machine B.

| Scenario | Case | Verdict |
| -------- | ---- | ------- |
| S8       | new  | pass    |
`);
    expect(sections.runs.get('S8')).toBe(
      '2026-11-30T00:06Z → 2026-11-30T00:07Z, `npm run bench -- --scenario S8`, machine B',
    );
    expect(sections.rows.get('S8')).toHaveLength(1);
  });
});
