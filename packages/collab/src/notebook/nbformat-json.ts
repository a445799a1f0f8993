/**
 * Writes JSON the way nbformat writes notebooks: Python's
 * `json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"`, so a notebook that
 * nbformat (Jupyter, nbconvert, papermill) wrote comes back byte for byte.
 */
export function stringifyLikeNbformat(value: unknown): string {
  return `${write(value, '')}\n`;
}

function write(value: unknown, indent: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const inner = `${indent} `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => inner + write(item, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
  if (entries.length === 0) return '{}';
  entries.sort(([a], [b]) => compareCodePoints(a, b));
  const lines = entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${write(item, inner)}`);
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

/** Python sorts keys by code point; JavaScript's default sort compares UTF-16 units. */
function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i]?.codePointAt(0) ?? 0;
    const y = right[i]?.codePointAt(0) ?? 0;
    if (x !== y) return x - y;
  }
  return left.length - right.length;
}

/**
 * Python's `repr` of a number: integers as digits, floats in the shortest form that reads back,
 * in exponent form below 1e-4 or from 1e16 (`1e-05`, `1.5e+16`). A float that held a whole
 * value (`2.0`) parsed into JavaScript as 2 is written as an integer: JSON numbers carry no type.
 */
function pythonNumber(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN';
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return String(value);
  const [digitsPart = '', exponentPart = '0'] = value.toExponential().split('e');
  const exponent = Number(exponentPart);
  if (exponent >= -4 && exponent < 16) {
    const fixed = String(value);
    if (!fixed.includes('e')) return fixed.includes('.') ? fixed : `${fixed}.0`;
  }
  const sign = exponent < 0 ? '-' : '+';
  return `${digitsPart}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/** Every line break Python's `splitlines` knows (file, group and record separators included). */
const PYTHON_LINE_BREAKS = new Set([0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029]);

/** Python's `str.splitlines(True)`: lines with their endings, on every break Python knows. */
export function splitLinesKeepEnds(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!PYTHON_LINE_BREAKS.has(code)) continue;
    if (code === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
    lines.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** A JSON mimetype's value is kept as JSON; every other string in a mime bundle is split in lines. */
export function isJsonMimeType(mime: string): boolean {
  return mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));
}

/** nbformat's multiline string (a string or a list of lines) as one string. */
export function joinMultiline(value: unknown): string {
  if (Array.isArray(value)) return value.map((line) => (typeof line === 'string' ? line : '')).join('');
  return typeof value === 'string' ? value : '';
}
