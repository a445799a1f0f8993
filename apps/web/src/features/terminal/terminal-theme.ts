import type { ITheme } from '@xterm/xterm';

/** Terminal colours matching the Monaco themes (studios-dark / studios-light). */
export function terminalTheme(theme: 'dark' | 'light'): ITheme {
  return theme === 'light'
    ? {
        background: '#ffffff',
        foreground: '#17181c',
        cursor: '#5560e8',
        cursorAccent: '#ffffff',
        selectionBackground: '#c9cdfa',
        black: '#17181c',
        brightBlack: '#6b6e78',
      }
    : {
        background: '#111215',
        foreground: '#d4d6dc',
        cursor: '#8189ff',
        cursorAccent: '#111215',
        selectionBackground: '#3a3f7a',
        black: '#1b1c21',
        red: '#ef5c5c',
        green: '#3ecf8e',
        yellow: '#f2b84b',
        blue: '#6e9bf6',
        magenta: '#b36ef6',
        cyan: '#4fc1d6',
        white: '#d4d6dc',
        brightBlack: '#6b6e78',
        brightRed: '#ff7b7b',
        brightGreen: '#5fe0a5',
        brightYellow: '#ffd27a',
        brightBlue: '#8fb4ff',
        brightMagenta: '#cb93ff',
        brightCyan: '#7fd8e8',
        brightWhite: '#ffffff',
      };
}
