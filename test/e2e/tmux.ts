// A real terminal for end-to-end tests: tmux runs the built binary; tests type with send-keys
// and read the screen with capture-pane. Each session gets its own tmux server socket.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

// What the `bin` and `npm start` run: the bundle (scripts/bundle.mjs).
const BIN = join(import.meta.dirname, '../../dist/src/cli/hybrid-tui.mjs');
let counter = 0;

export class TmuxSession {
  private readonly socket = `htui-${process.pid}-${counter++}`;
  /** The HOME the program runs with (its config file goes under it). */
  readonly home = mkdtempSync(join(tmpdir(), 'htui-e2e-'));

  constructor(cols: number, rows: number, args: string[]) {
    try {
      execFileSync('tmux', ['-V']);
    } catch {
      throw new Error('tmux is not installed: the end-to-end tests need it (apt-get install tmux)');
    }
    const home = this.home;
    // A marker on the main screen before the dashboard starts: it must still be there after exit.
    const command = `echo MAIN-SCREEN-MARKER; env -i PATH="$PATH" HOME=${home} TERM=xterm-256color ${process.execPath} ${BIN} ${args.join(' ')}; echo EXIT=$?; sleep 60`;
    this.tmux('new-session', '-d', '-x', String(cols), '-y', String(rows), command);
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  screen(): string {
    return this.tmux('capture-pane', '-p');
  }

  keys(...keys: string[]): void {
    for (const k of keys) this.tmux('send-keys', k);
  }

  /** Sends a signal to the program itself (the child of the pane's shell). */
  signal(name: NodeJS.Signals): void {
    const shell = Number(this.tmux('list-panes', '-F', '#{pane_pid}').trim());
    const child = execFileSync('pgrep', ['-P', String(shell)], { encoding: 'utf8' })
      .split('\n')
      .map(Number)
      .find((pid) => pid > 0);
    if (!child) throw new Error('the program is not running');
    process.kill(child, name);
  }

  resize(cols: number, rows: number): void {
    this.tmux('resize-window', '-x', String(cols), '-y', String(rows));
  }

  /** Resolves with the screen once `predicate` holds; rejects with the last screen after `ms`. */
  async waitFor(predicate: (screen: string) => boolean, ms = 10_000): Promise<string> {
    const until = Date.now() + ms;
    let last = '';
    while (Date.now() < until) {
      last = this.screen();
      if (predicate(last)) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`screen never matched; last screen:\n${last}`);
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}

/** A starter for the calling test file: every session it starts is killed after each test. */
export function sessionStarter(): (cols: number, rows: number, args: string[]) => TmuxSession {
  const sessions: TmuxSession[] = [];
  afterEach(() => {
    for (const s of sessions.splice(0)) s.kill();
  });
  return (cols, rows, args) => {
    const s = new TmuxSession(cols, rows, args);
    sessions.push(s);
    return s;
  };
}
