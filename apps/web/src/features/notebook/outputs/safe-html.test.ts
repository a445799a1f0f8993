// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { ansiToHtml, extractMath, latexToHtml, markdownToHtml, sanitizeHtml } from './safe-html';

const hostile = [
  '<img src=x onerror="window.__pwned=1">',
  '<script>window.__pwned=1</script>',
  '<a href="javascript:window.__pwned=1">x</a>',
  '<svg><script>window.__pwned=1</script></svg>',
  '<form action="https://evil.example"><input name=p></form>',
  '<iframe src="javascript:window.__pwned=1"></iframe>',
  '<style>body{display:none}</style>',
  '<div style="position:fixed;inset:0">overlay</div>',
];

/** Puts HTML into the live document the way the notebook does, and reports what would run. */
function mount(html: string): HTMLElement {
  const element = document.createElement('div');
  element.innerHTML = html;
  document.body.append(element);
  return element;
}

afterEach(() => {
  document.body.innerHTML = '';
  delete (window as { __pwned?: number }).__pwned;
});

describe('markdownToHtml', () => {
  it.each(hostile)('renders %s without anything that could run in the IDE', (payload) => {
    const element = mount(markdownToHtml(`# Title\n\n${payload}\n\n$x^2$`));
    expect(
      element.querySelector('script, iframe, form, input, style, [onerror], [style]:not(.katex *)'),
    ).toBeNull();
    for (const anchor of element.querySelectorAll('a'))
      expect(anchor.getAttribute('href') ?? '').not.toMatch(/^javascript:/i);
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('renders markdown, opens links outside the IDE, and typesets math', () => {
    const element = mount(
      markdownToHtml('**bold** [link](https://example.org) and $a_1$\n\n$$\\frac{1}{2}$$'),
    );
    expect(element.querySelector('strong')?.textContent).toBe('bold');
    expect(element.querySelector('a')?.getAttribute('rel')).toBe('noopener noreferrer');
    expect(element.querySelector('a')?.getAttribute('target')).toBe('_blank');
    expect(element.querySelectorAll('.katex').length).toBe(2);
    expect(element.querySelector('.katex-display')).not.toBeNull();
  });

  it('leaves dollars in code alone and keeps math out of attributes', () => {
    expect(extractMath('`$x$` and ```\n$y$\n``` but $z$').math).toEqual([{ tex: 'z', display: false }]);
    const element = mount(markdownToHtml('[a]($x" onmouseover="window.__pwned=1$)'));
    expect(element.querySelector('[onmouseover]')).toBeNull();
  });

  it('does not let TeX reach HTML (\\href and raw HTML are refused)', () => {
    const element = mount(markdownToHtml('$\\href{javascript:alert(1)}{x}$ $\\htmlId{a}{b}$'));
    expect(element.querySelector('a')).toBeNull();
    expect(element.querySelector('#a')).toBeNull();
  });
});

describe('sanitizeHtml, ansiToHtml and latexToHtml', () => {
  it.each(hostile)('strips %s', (payload) => {
    const element = mount(sanitizeHtml(payload));
    expect(element.querySelector('script, iframe, form, style, [onerror], [style]')).toBeNull();
  });

  it('escapes text and colours it with classes', () => {
    const html = ansiToHtml('\u001b[31m<img src=x onerror=alert(1)>\u001b[0m');
    const element = mount(html);
    expect(element.querySelector('img')).toBeNull();
    expect(element.textContent).toBe('<img src=x onerror=alert(1)>');
    expect(element.querySelector('.ansi-red-fg')).not.toBeNull();
  });

  it('typesets text/latex outputs', () => {
    expect(mount(latexToHtml('$$x^2$$')).querySelector('.katex-display')).not.toBeNull();
    expect(mount(latexToHtml('\\sum_i i')).querySelector('.katex')).not.toBeNull();
  });
});
