import { AnsiUp } from 'ansi_up';
import DOMPurify from 'dompurify';
import katex from 'katex';
import { Marked } from 'marked';

/**
 * HTML that may go into the IDE's own document (markdown cells, markdown/LaTeX outputs, ANSI
 * text). Notebooks come from anyone with write access, so everything passes DOMPurify: no
 * script, event handler, `javascript:` URL, form, style sheet or frame survives (JupyterLab's
 * sanitizer bypasses, CVE-2021-32797/32798, were forms and styles). Math is typeset by KaTeX
 * after sanitizing, from the TeX alone, with `trust: false` (no \href, \url or HTML extensions).
 */

const FORBID_TAGS = [
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'style',
  'iframe',
  'frame',
  'object',
  'embed',
  'base',
  'meta',
  'link',
];
const FORBID_ATTR = ['style', 'formaction', 'srcset', 'ping'];

let hooked = false;
function purifier(): typeof DOMPurify {
  if (!hooked) {
    hooked = true;
    // Links open outside the IDE and cannot reach back into it through window.opener.
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A' && node.hasAttribute('href')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
    });
  }
  return DOMPurify;
}

/** Sanitized HTML for the IDE document. */
export function sanitizeHtml(html: string): string {
  return purifier().sanitize(html, { FORBID_TAGS, FORBID_ATTR, ALLOW_DATA_ATTR: false });
}

const ansi = new AnsiUp();
ansi.use_classes = true;
ansi.escape_html = true;

/** ANSI-coloured text → HTML spans with `ansi-*` classes; the text itself is escaped. */
export function ansiToHtml(text: string): string {
  return sanitizeHtml(ansi.ansi_to_html(text));
}

function typeset(tex: string, displayMode: boolean): string {
  return katex.renderToString(tex, {
    displayMode,
    throwOnError: false,
    trust: false,
    output: 'htmlAndMathml',
  });
}

// Placeholders survive markdown and sanitizing untouched (letters and digits only).
const placeholder = (index: number) => `KATEXMATH${index}XEND`;
const PLACEHOLDER = /KATEXMATH(\d+)XEND/g;

/** Code spans and fences: math is not looked for inside them. */
const CODE = /(```[\s\S]*?(?:```|$)|~~~[\s\S]*?(?:~~~|$)|`[^`\n]*`)/;
const MATH =
  /\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|(?<![\\$\w])\$(?!\s)((?:\\\$|[^$\n])+?)(?<!\s)\$(?![\w$])|\\\(([\s\S]+?)\\\)/g;

/** Replaces `$…$`, `$$…$$`, `\(…\)` and `\[…\]` outside code with placeholders. */
export function extractMath(markdown: string): { text: string; math: { tex: string; display: boolean }[] } {
  const math: { tex: string; display: boolean }[] = [];
  const parts = markdown.split(CODE);
  const text = parts
    .map((part, index) => {
      if (index % 2 === 1) return part;
      return part.replace(MATH, (_match, display: string, bracket: string, inline: string, paren: string) => {
        math.push({
          tex: display ?? bracket ?? inline ?? paren ?? '',
          display: display !== undefined || bracket !== undefined,
        });
        return placeholder(math.length - 1);
      });
    })
    .join('');
  return { text, math };
}

const marked = new Marked({ gfm: true, breaks: false, async: false });

/**
 * Markdown (with math) → sanitized HTML. Math goes back only into text nodes of the sanitized
 * tree: a placeholder that ended up in an attribute (a link's URL) stays inert text.
 */
export function markdownToHtml(markdown: string): string {
  const { text, math } = extractMath(markdown);
  const fragment = purifier().sanitize(marked.parse(text, { async: false }), {
    FORBID_TAGS,
    FORBID_ATTR,
    ALLOW_DATA_ATTR: false,
    RETURN_DOM_FRAGMENT: true,
  });
  if (math.length > 0) {
    const walker = document.createTreeWalker(fragment, NodeFilter.SHOW_TEXT);
    const nodes: Text[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
    for (const node of nodes) {
      const value = node.data;
      if (!value.includes('KATEXMATH')) continue;
      const holder = document.createElement('span');
      let last = 0;
      for (const match of value.matchAll(PLACEHOLDER)) {
        const item = math[Number(match[1])];
        holder.append(document.createTextNode(value.slice(last, match.index)));
        const rendered = document.createElement('span');
        // KaTeX's output from TeX alone (trust: false): escaped text and its own markup.
        rendered.innerHTML = item ? typeset(item.tex, item.display) : match[0];
        holder.append(...rendered.childNodes);
        last = match.index + match[0].length;
      }
      holder.append(document.createTextNode(value.slice(last)));
      node.replaceWith(...holder.childNodes);
    }
  }
  const container = document.createElement('div');
  container.append(fragment);
  return container.innerHTML;
}

/** A text/latex output: usually `$$…$$` or `$…$`; bare TeX is typeset as display math. */
export function latexToHtml(source: string): string {
  const trimmed = source.trim();
  if (/^(\$|\\\[|\\\()/.test(trimmed)) return markdownToHtml(trimmed);
  return typeset(trimmed.replace(/^\\begin\{equation\*?\}|\\end\{equation\*?\}$/g, ''), true);
}
