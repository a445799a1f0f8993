import { TERMINAL_FLOW, type TerminalAttachee } from '@studios/protocol';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import type { SocketStatus } from '../../api/reconnecting-socket';
import { connectTerminal, type TerminalSocket } from '../../api/terminal-socket';
import { currentTheme } from '../../shared/theme';
import { IconButton } from '../../ui/IconButton';
import { ChevronDownIcon, CloseIcon } from '../../ui/icons';
import { AckTracker } from './ack-tracker';
import { terminalTheme } from './terminal-theme';

export interface TerminalViewProps {
  studioId: string;
  terminalId: string;
  canWrite: boolean;
  visible: boolean;
  onAttached(attached: TerminalAttachee[]): void;
  onTitle(title: string): void;
  onExit(code: number): void;
  /** The session ended for good (closed by someone, access lost). */
  onGone(code: number): void;
}

const FONT =
  "ui-monospace, 'SF Mono', 'Cascadia Code', 'JetBrains Mono', Menlo, Consolas, 'DejaVu Sans Mono', monospace";

/** One attached xterm.js terminal; the terminal, addons and socket live and die in one effect. */
export function TerminalView({
  studioId,
  terminalId,
  canWrite,
  visible,
  onAttached,
  onTitle,
  onExit,
  onGone,
}: TerminalViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const fitRef = useRef<(() => void) | null>(null);
  const searchRef = useRef<SearchAddon | null>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const handlers = useRef({ onAttached, onTitle, onExit, onGone });
  handlers.current = { onAttached, onTitle, onExit, onGone };
  const canWriteRef = useRef(canWrite);
  canWriteRef.current = canWrite;
  const [status, setStatus] = useState<SocketStatus>('connecting');
  const [searchOpen, setSearchOpen] = useState(false);
  const [query, setQuery] = useState('');

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const term = new Terminal({
      fontFamily: FONT,
      fontSize: 13,
      lineHeight: 1.2,
      cursorBlink: true,
      scrollback: 5000,
      allowProposedApi: true,
      disableStdin: !canWriteRef.current,
      theme: terminalTheme(currentTheme()),
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    term.loadAddon(new WebLinksAddon());
    term.open(element);
    termRef.current = term;
    searchRef.current = search;

    let socket: TerminalSocket | null = null;
    const acks = new AckTracker(TERMINAL_FLOW.ACK_EVERY_BYTES, (bytes) =>
      socket?.sendControl({ type: 'ack', bytes }),
    );
    let serverSize: { cols: number; rows: number } | null = null;

    const sendFittedSize = () => {
      if (!element.offsetParent) return; // hidden tabs have no size
      const dims = fit.proposeDimensions();
      if (!dims || !Number.isFinite(dims.cols) || !Number.isFinite(dims.rows)) return;
      const cols = Math.max(2, Math.min(1000, dims.cols));
      const rows = Math.max(1, Math.min(500, dims.rows));
      // Until the server decides the PTY size, show what fits; afterwards render at its size.
      if (!serverSize) fit.fit();
      socket?.sendControl({ type: 'resize', cols, rows });
    };
    fitRef.current = sendFittedSize;
    const applyServerSize = (cols: number, rows: number) => {
      serverSize = { cols, rows };
      if (term.cols !== cols || term.rows !== rows) term.resize(cols, rows);
    };

    socket = connectTerminal(studioId, terminalId, {
      onStatus(next, detail) {
        setStatus(next);
        if (next === 'open') sendFittedSize();
        if (next === 'closed' && detail.code !== undefined && detail.code !== 1000)
          handlers.current.onGone(detail.code);
      },
      onOutput(bytes) {
        const epoch = acks.epoch;
        term.write(bytes, () => acks.written(bytes.byteLength, epoch));
      },
      onControl(message) {
        switch (message.type) {
          case 'hello':
            term.options.disableStdin = !(message.canWrite && canWriteRef.current);
            handlers.current.onAttached(message.terminal.attached);
            break;
          case 'snapshot':
            acks.reset();
            term.reset();
            applyServerSize(message.cols, message.rows);
            term.write(message.data);
            break;
          case 'size':
            applyServerSize(message.cols, message.rows);
            break;
          case 'attached':
            handlers.current.onAttached(message.attached);
            break;
          case 'title':
            handlers.current.onTitle(message.title);
            break;
          case 'exit':
            term.write(`\r\n\x1b[2m[Process exited with code ${message.code}]\x1b[0m\r\n`);
            handlers.current.onExit(message.code);
            break;
          case 'role':
            term.options.disableStdin = !message.canWrite;
            break;
        }
      },
    });

    const input = term.onData((data) => {
      if (!term.options.disableStdin) socket?.sendInput(data);
    });
    term.attachCustomKeyEventHandler((event) => {
      if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey) return true;
      const key = event.key.toLowerCase();
      if (key === 'c' && term.hasSelection()) {
        void navigator.clipboard?.writeText(term.getSelection());
        return false;
      }
      if (key === 'v') {
        if (!term.options.disableStdin) void navigator.clipboard?.readText().then((text) => term.paste(text));
        return false;
      }
      if (key === 'f') {
        setSearchOpen(true);
        requestAnimationFrame(() => searchInput.current?.focus());
        return false;
      }
      return true;
    });
    const observer = new ResizeObserver(() => sendFittedSize());
    observer.observe(element);
    const onTheme = (event: Event) => {
      term.options.theme = terminalTheme((event as CustomEvent<'dark' | 'light'>).detail);
    };
    window.addEventListener('studios-theme', onTheme);

    return () => {
      window.removeEventListener('studios-theme', onTheme);
      observer.disconnect();
      input.dispose();
      socket?.close();
      socket = null;
      term.dispose();
      termRef.current = null;
      fitRef.current = null;
      searchRef.current = null;
    };
  }, [studioId, terminalId]);

  useEffect(() => {
    const term = termRef.current;
    if (term && !canWrite) term.options.disableStdin = true;
  }, [canWrite]);

  useEffect(() => {
    if (!visible) return;
    fitRef.current?.();
    termRef.current?.focus();
  }, [visible]);

  const find = (backwards = false) => {
    if (!query) return;
    if (backwards) searchRef.current?.findPrevious(query);
    else searchRef.current?.findNext(query);
  };

  return (
    <div
      className="terminal-view"
      hidden={!visible}
      role="tabpanel"
      id={`terminal-tabs-panel-${terminalId}`}
      aria-label="Terminal"
    >
      {searchOpen ? (
        <div className="terminal-view__search">
          <input
            ref={searchInput}
            className="ui-input ui-input--sm"
            aria-label="Find in terminal"
            placeholder="Find"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') find(event.shiftKey);
              if (event.key === 'Escape') {
                setSearchOpen(false);
                searchRef.current?.clearDecorations();
                termRef.current?.focus();
              }
            }}
          />
          <IconButton
            size="sm"
            label="Next match"
            icon={<ChevronDownIcon size={12} />}
            onClick={() => find()}
          />
          <IconButton
            size="sm"
            label="Close search"
            icon={<CloseIcon size={12} />}
            onClick={() => {
              setSearchOpen(false);
              searchRef.current?.clearDecorations();
            }}
          />
        </div>
      ) : null}
      {status === 'reconnecting' || status === 'connecting' ? (
        <div className="terminal-view__banner" role="status">
          {status === 'connecting' ? 'Connecting to the terminal…' : 'Connection lost — reconnecting…'}
        </div>
      ) : null}
      <div className="terminal-view__screen" ref={container} data-testid={`terminal-${terminalId}`} />
    </div>
  );
}
