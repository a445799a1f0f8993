import { NOTEBOOK_KERNEL_MAP, NOTEBOOK_RUNS_MAP } from '@studios/protocol';
import * as Y from 'yjs';
import { CELLS, cellsOf, findCell, readCell } from './notebook-schema';

/** Cell fields only the server writes (a new cell may carry them empty). */
const SERVER_CELL_FIELDS = new Set(['outputs', 'execution_count']);
type ItemContent = Y.Item['content'];
type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds'];

const SERVER_ROOTS = new Set([NOTEBOOK_RUNS_MAP, NOTEBOOK_KERNEL_MAP]);

/**
 * Where a type sits: inside what only the server writes, a cell, a cell created by the update
 * being checked, the cells array, or anywhere else.
 */
type Place = 'server-owned' | 'cell' | 'new-cell' | 'new-cell-owned' | 'cells' | 'free';

/** A decoded item's parent: a root type, a type created by the same update, a live type, a type already deleted and collected, or missing. */
type Parent =
  | { kind: 'root'; name: string }
  | { kind: 'new'; item: Y.Item }
  | { kind: 'live'; type: Y.AbstractType<unknown> }
  | { kind: 'gone' }
  | { kind: 'unknown' };

/**
 * Inspects a client's update to a notebook before it is applied and names what it would forge,
 * or returns null when it only touches what clients may edit: sources, cells, metadata. Items
 * are resolved against the live doc and the update itself (a decoded item names its parent, or
 * only its neighbour when it has one, whose parent it shares). Refused: anything in the
 * `studios:runs` / `studios:kernel` maps, anything inside a cell's outputs, setting or deleting
 * a cell's `outputs` or `execution_count` (a new cell may carry an empty outputs array and a
 * null count), and deleting output content outside a cell deleted with it.
 */
export function findForbiddenNotebookChange(doc: Y.Doc, update: Uint8Array): string | null {
  const { structs, ds } = Y.decodeUpdate(update);
  const fresh = new FreshItems(structs);
  const places = new Map<Y.Item, Place>();

  const placeOfNew = (item: Y.Item): Place => {
    const known = places.get(item);
    if (known) return known;
    places.set(item, 'server-owned'); // a cycle a hostile update could build resolves to refused
    const place = childPlace(placeOf(parentOf(item)), parentSubOf(item), true);
    places.set(item, place);
    return place;
  };

  const placeOf = (parent: Parent): Place => {
    if (parent.kind === 'root') return placeOfRoot(parent.name);
    if (parent.kind === 'new') return placeOfNew(parent.item);
    if (parent.kind === 'live') return placeOfLive(parent.type);
    return parent.kind === 'gone' ? 'free' : 'server-owned';
  };

  /** The parent of a decoded item: named, or the parent of the neighbour it was inserted next to. */
  /** A decoded item names its map key only with its parent; else it shares its neighbour's. */
  const parentSubOf = (item: Y.Item, depth = 0): string | null => {
    if (item.parentSub !== null || item.parent !== null) return item.parentSub;
    const neighbour = item.origin ?? item.rightOrigin;
    if (!neighbour || depth > structs.length) return null;
    const inUpdate = fresh.find(neighbour);
    if (inUpdate) return inUpdate === item ? null : parentSubOf(inUpdate, depth + 1);
    const live = liveStruct(doc, neighbour);
    return live instanceof Y.Item ? live.parentSub : null;
  };

  const parentOf = (item: Y.Item, depth = 0): Parent => {
    const parent = item.parent as unknown;
    if (typeof parent === 'string') return { kind: 'root', name: parent };
    if (parent instanceof Y.ID) return typeOfId(parent);
    const neighbour = item.origin ?? item.rightOrigin;
    if (!neighbour || depth > structs.length) return { kind: 'unknown' };
    const inUpdate = fresh.find(neighbour);
    if (inUpdate) return inUpdate === item ? { kind: 'unknown' } : parentOf(inUpdate, depth + 1);
    const live = liveStruct(doc, neighbour);
    if (live === null) return { kind: 'unknown' };
    // Next to collected content: the parent type was deleted, whatever lands there is gone too.
    if (!(live instanceof Y.Item) || !(live.parent instanceof Y.AbstractType)) return { kind: 'gone' };
    return { kind: 'live', type: live.parent };
  };

  const typeOfId = (id: Y.ID): Parent => {
    const inUpdate = fresh.find(id);
    if (inUpdate) return { kind: 'new', item: inUpdate };
    const live = liveStruct(doc, id);
    if (live === null) return { kind: 'unknown' };
    if (live instanceof Y.Item && live.content instanceof Y.ContentType)
      return { kind: 'live', type: live.content.type };
    return { kind: 'gone' };
  };

  const placeOfLive = (type: Y.AbstractType<unknown>): Place => {
    const item = type._item;
    if (!item) {
      for (const [name, root] of doc.share) if (root === type) return placeOfRoot(name);
      return 'free';
    }
    const parent = item.parent instanceof Y.AbstractType ? item.parent : null;
    if (!parent) return 'free';
    return childPlace(placeOfLive(parent), item.parentSub, false);
  };

  /** Outputs or a count on a new cell: allowed only as a move (checked last, it costs a copy). */
  let unlessMove: string | null = null;
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    // Already integrated (a resent update): Yjs skips it, so there is nothing to judge.
    if (struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client)) continue;
    const parent = parentOf(struct);
    // Yjs would hold it back until its dependencies arrive, and then apply it unchecked.
    if (parent.kind === 'unknown') return 'an update refers to content the server does not have';
    const place = placeOf(parent);
    const refusal = refuseChild(place, parentSubOf(struct), struct.content);
    if (refusal && (place === 'new-cell' || place === 'new-cell-owned')) unlessMove ??= refusal;
    else if (refusal) return refusal;
  }
  const deletion = findForbiddenDeletion(doc, ds, placeOfLive);
  if (deletion) return deletion;
  return unlessMove !== null && !movesCellsWithTheirOutputs(doc, update) ? unlessMove : null;
}

/**
 * JupyterLab moves a cell by deleting it and inserting a copy with its outputs. That is no
 * forgery: every new cell that carries outputs or a count must replace a cell with the same id
 * that this update deletes, with exactly that cell's outputs and count.
 */
function movesCellsWithTheirOutputs(doc: Y.Doc, update: Uint8Array): boolean {
  const after = new Y.Doc({ gc: false });
  try {
    Y.applyUpdate(after, Y.encodeStateAsUpdate(doc));
    Y.applyUpdate(after, update);
    for (const cell of cellsOf(after).toArray()) {
      const item = cell._item;
      if (!item || item.id.clock < Y.getState(doc.store, item.id.client)) continue;
      const json = readCell(cell, true) as { id?: unknown; outputs?: unknown[]; execution_count?: unknown };
      if ((json.outputs?.length ?? 0) === 0 && (json.execution_count ?? null) === null) continue;
      const moved = findCell(doc, String(json.id))?.cell;
      const movedItem = moved?._item;
      if (!moved || !movedItem || !isDeletedIn(after, movedItem.id)) return false;
      const before = readCell(moved, true) as { outputs?: unknown[]; execution_count?: unknown };
      if (JSON.stringify(before.outputs) !== JSON.stringify(json.outputs)) return false;
      if ((before.execution_count ?? null) !== (json.execution_count ?? null)) return false;
    }
    return true;
  } finally {
    after.destroy();
  }
}

function isDeletedIn(doc: Y.Doc, id: Y.ID): boolean {
  const struct = liveStruct(doc, id);
  return struct === null || struct.deleted;
}

function placeOfRoot(name: string): Place {
  if (SERVER_ROOTS.has(name)) return 'server-owned';
  return name === CELLS ? 'cells' : 'free';
}

function childPlace(parent: Place, parentSub: string | null, isNew: boolean): Place {
  if (parent === 'server-owned' || parent === 'new-cell-owned') return parent;
  if (parent === 'cells' && parentSub === null) return isNew ? 'new-cell' : 'cell';
  if (parentSub !== null && SERVER_CELL_FIELDS.has(parentSub)) {
    if (parent === 'cell') return 'server-owned';
    if (parent === 'new-cell') return 'new-cell-owned';
  }
  return 'free';
}

/** Why a new item in `parent` (at map key `parentSub`) is refused, or null. */
function refuseChild(parent: Place, parentSub: string | null, content: ItemContent): string | null {
  if (parent === 'server-owned') return 'outputs, runs and the kernel state are written by the server only';
  if (parent === 'new-cell-owned') return 'a new cell must have no outputs';
  if (parent === 'cell' && parentSub !== null && SERVER_CELL_FIELDS.has(parentSub)) {
    return `a cell's ${parentSub} is written by the server only`;
  }
  if (parent === 'new-cell' && parentSub === 'outputs' && !isEmptyArray(content))
    return 'a new cell must have no outputs';
  if (parent === 'new-cell' && parentSub === 'execution_count' && !isNull(content)) {
    return 'a new cell must have no execution count';
  }
  return null;
}

function isEmptyArray(content: ItemContent): boolean {
  return content instanceof Y.ContentType && content.type instanceof Y.Array;
}

function isNull(content: ItemContent): boolean {
  return content instanceof Y.ContentAny && content.arr.length === 1 && content.arr[0] === null;
}

/**
 * Deleting server-owned content is refused unless the cell holding it goes too (deleting a cell
 * deletes everything in it, and the client's delete set lists all of it).
 */
function findForbiddenDeletion(
  doc: Y.Doc,
  ds: DeleteSet,
  placeOfLive: (type: Y.AbstractType<unknown>) => Place,
): string | null {
  for (const [client, ranges] of ds.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs) continue;
    for (const range of ranges) {
      const end = range.clock + range.len;
      const state = Y.getState(doc.store, client);
      if (range.clock >= state) continue;
      for (let index = Y.findIndexSS(structs, range.clock); index < structs.length; index++) {
        const struct = structs[index];
        if (!struct || struct.id.clock >= end) break;
        if (!(struct instanceof Y.Item) || struct.deleted) continue;
        const parent = struct.parent instanceof Y.AbstractType ? struct.parent : null;
        if (!parent) continue;
        const place = placeOfLive(parent);
        const ownedField =
          place === 'cell' && struct.parentSub !== null && SERVER_CELL_FIELDS.has(struct.parentSub);
        if ((place === 'server-owned' || ownedField) && !cellGoesToo(parent, ds)) {
          return 'outputs, runs and the kernel state are written by the server only';
        }
      }
    }
  }
  return null;
}

/** Whether the cell that holds `type` is deleted already or by this update. */
function cellGoesToo(type: Y.AbstractType<unknown>, ds: DeleteSet): boolean {
  let current: Y.AbstractType<unknown> | null = type;
  while (current?._item) {
    const item: Y.Item = current._item;
    if (item.deleted || Y.isDeleted(ds, item.id)) return true;
    current = item.parent instanceof Y.AbstractType ? item.parent : null;
  }
  return false;
}

function liveStruct(doc: Y.Doc, id: Y.ID): Y.Item | Y.GC | null {
  if (id.clock >= Y.getState(doc.store, id.client)) return null;
  const structs = doc.store.clients.get(id.client);
  if (!structs) return null;
  return (structs[Y.findIndexSS(structs, id.clock)] as Y.Item | Y.GC | undefined) ?? null;
}

/** The items of an update by client, to find the one holding an id (an origin may point inside one). */
class FreshItems {
  readonly #byClient = new Map<number, Y.Item[]>();

  constructor(structs: readonly (Y.Item | Y.GC | Y.Skip)[]) {
    for (const struct of structs) {
      if (!(struct instanceof Y.Item)) continue;
      const items = this.#byClient.get(struct.id.client) ?? [];
      items.push(struct);
      this.#byClient.set(struct.id.client, items);
    }
  }

  find(id: Y.ID): Y.Item | undefined {
    const items = this.#byClient.get(id.client);
    if (!items) return undefined;
    let lo = 0;
    let hi = items.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const item = items[mid];
      if (!item) return undefined;
      if (id.clock < item.id.clock) hi = mid - 1;
      else if (id.clock >= item.id.clock + item.length) lo = mid + 1;
      else return item;
    }
    return undefined;
  }
}
