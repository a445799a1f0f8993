import { describe, expect, it } from 'vitest';
import { cssString, remoteCursorCss } from './remote-cursor-css';

describe('remoteCursorCss', () => {
  it('styles the y-monaco classes of one client with its colour and name', () => {
    const css = remoteCursorCss(42, '#0090ff', 'Ada', '#000000');
    expect(css).toContain('.yRemoteSelection-42 { background-color: #0090ff40; }');
    expect(css).toContain('.yRemoteSelectionHead-42::after { content: "Ada";');
  });

  it('never lets a hostile colour or name escape the rule', () => {
    const css = remoteCursorCss(7, 'red; } body { display: none', 'a"} body{x:y}\\', '#123456');
    expect(css).not.toContain('display: none');
    expect(css).toContain('#123456');
    expect(cssString('a"} body{x:y}\\')).toBe('"a\\"} body{x:y}\\\\"');
    expect(cssString('</style>')).toBe('"\\3c /style\\3e "');
  });
});
