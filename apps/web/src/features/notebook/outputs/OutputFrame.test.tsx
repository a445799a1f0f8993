// @vitest-environment jsdom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OUTPUT_FRAME_URL, OutputFrame } from './OutputFrame';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

function mount(html: string) {
  act(() => root.render(<OutputFrame html={html} testId="frame" />));
  const frame = container.querySelector('iframe') as HTMLIFrameElement;
  const frameWindow = frame.contentWindow as Window;
  const sent = vi.spyOn(frameWindow, 'postMessage').mockImplementation(() => undefined);
  const fromWindow = (source: Window, data: unknown) =>
    act(() => window.dispatchEvent(new MessageEvent('message', { source, data })));
  return { frame, frameWindow, sent, fromWindow };
}

describe('OutputFrame', () => {
  it('is an opaque-origin sandbox loading the static frame page, never srcdoc', () => {
    const { frame } = mount('<b>x</b>');
    expect(frame.getAttribute('sandbox')?.split(' ').sort()).toEqual(['allow-popups', 'allow-scripts']);
    expect(frame.getAttribute('src')).toBe(OUTPUT_FRAME_URL);
    expect(frame.hasAttribute('srcdoc')).toBe(false);
  });

  it('answers only its own frame, and takes its height from it', () => {
    const { frame, frameWindow, sent, fromWindow } = mount('<b>output</b>');
    const stranger = document.createElement('iframe');
    document.body.append(stranger);
    fromWindow(stranger.contentWindow as Window, { type: 'studios-output-ready' });
    fromWindow(window, { type: 'studios-output-height', height: 900 });
    expect(sent).not.toHaveBeenCalled();
    expect(frame.style.height).toBe('24px');

    fromWindow(frameWindow, { type: 'studios-output-ready' });
    expect(sent).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'studios-output-render', html: '<b>output</b>' }),
      '*',
    );
    fromWindow(frameWindow, { type: 'studios-output-height', height: 321.4 });
    expect(frame.style.height).toBe('322px');
    fromWindow(frameWindow, { type: 'studios-output-height', height: 1e9 });
    expect(frame.style.height).toBe('4000px');
    stranger.remove();
  });
});
