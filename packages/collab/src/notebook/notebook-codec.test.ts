import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { YNotebook } from '@jupyter/ydoc';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { UnsupportedContentError } from '../document/document-codec';
import { createNotebookCodec } from './notebook-codec';
import { cellsOf } from './notebook-schema';

const FIXTURES = join(import.meta.dirname, '../../testdata/notebooks');
const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith('.ipynb'));
const codec = createNotebookCodec();

function load(text: string): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => codec.prepareSeed(text)(doc));
  return doc;
}

describe('notebook codec', () => {
  it('has real notebooks to test with', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
  });

  for (const name of fixtures.filter((file) => !file.includes('noncanonical'))) {
    it(`saves ${name} unedited byte for byte`, () => {
      const text = readFileSync(join(FIXTURES, name), 'utf8');
      expect(codec.serialize(load(text))).toBe(text);
    });
  }

  for (const name of fixtures) {
    it(`keeps everything but the edit in ${name}`, () => {
      const text = readFileSync(join(FIXTURES, name), 'utf8');
      const doc = load(text);
      const first = cellsOf(doc).get(0).get('source') as Y.Text;
      first.insert(0, 'edited ');
      const saved = JSON.parse(codec.serialize(doc));
      const original = JSON.parse(text);
      const firstSource = saved.cells[0].source;
      expect(firstSource.join('')).toBe(
        `edited ${original.cells[0].source.join?.('') ?? original.cells[0].source}`,
      );
      saved.cells[0].source = original.cells[0].source;
      expect(saved).toEqual(original);
    });
  }

  it('is read by @jupyter/ydoc YNotebook as the same notebook', () => {
    const text = readFileSync(join(FIXTURES, 'nbclient-error.ipynb'), 'utf8');
    const doc = load(text);
    const notebook = new YNotebook();
    Y.applyUpdate(notebook.ydoc, Y.encodeStateAsUpdate(doc));
    const json = notebook.toJSON();
    const original = JSON.parse(text);
    expect(json.cells.map((cell) => cell.id)).toEqual(original.cells.map((cell: { id: string }) => cell.id));
    expect(json.cells.map((cell) => cell.source)).toEqual(
      original.cells.map((cell: { source: string[] }) => cell.source.join('')),
    );
    expect(json.metadata).toEqual(original.metadata);
    notebook.dispose();
  });

  it('keeps cells ids out of nbformat 4.0–4.4 files until an edited save upgrades them to 4.5', () => {
    const text = readFileSync(join(FIXTURES, 'nbclient-inline-image.ipynb'), 'utf8');
    const doc = load(text);
    expect(codec.serialize(doc)).not.toContain('"id"');
    doc.transact(() => codec.beforeEditedSave?.(doc));
    const upgraded = JSON.parse(codec.serialize(doc));
    expect(upgraded.nbformat_minor).toBe(5);
    expect(upgraded.cells.every((cell: { id?: string }) => typeof cell.id === 'string')).toBe(true);
  });

  it('keeps attachments and writes them as nbformat does', () => {
    const notebook = {
      cells: [
        {
          attachments: { 'a.png': { 'image/png': 'iVBORw0KGgo=' } },
          cell_type: 'markdown',
          id: 'abc',
          metadata: {},
          source: ['![a](attachment:a.png)'],
        },
      ],
      metadata: {},
      nbformat: 4,
      nbformat_minor: 5,
    };
    const text = `${JSON.stringify(notebook, null, 1)}\n`;
    const saved = JSON.parse(codec.serialize(load(text)));
    expect(saved.cells[0].attachments).toEqual({ 'a.png': { 'image/png': ['iVBORw0KGgo='] } });
  });

  it('refuses a file that is not a notebook', () => {
    expect(() => codec.prepareSeed('{"cells": [')).toThrow(UnsupportedContentError);
    expect(() => codec.prepareSeed('{"nbformat": 3}')).toThrow(UnsupportedContentError);
  });

  it('opens an empty file as an empty notebook', () => {
    const saved = JSON.parse(codec.serialize(load('')));
    expect(saved).toEqual({ cells: [], metadata: {}, nbformat: 4, nbformat_minor: 5 });
  });
});
