import { EventEmitter } from 'node:events';
import { Text } from 'ink';
import { describe, expect, test, vi } from 'vitest';
import { ENTER_SCREEN, LEAVE_SCREEN, runDashboard } from '../../src/cli/dashboard.js';
import { FakeRuntime } from '../support/fake-runtime.js';
import { runStart } from './fixtures.js';
import { KEYS, settle } from './render.js';

vi.mock('ink-spinner', () => ({ default: () => <Text>*</Text> }));

class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 120;
  rows = 40;
  output = '';
  write = (chunk: string) => {
    this.output += chunk;
    return true;
  };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  rawMode: boolean[] = [];
  private data: string | null = null;
  setRawMode(mode: boolean) {
    this.rawMode.push(mode);
    return this;
  }
  setEncoding() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => {
    const { data } = this;
    this.data = null;
    return data;
  };
  type(data: string) {
    this.data = data;
    this.emit('readable');
  }
}

async function start() {
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const stderr = new FakeStdout();
  const processEvents = new EventEmitter();
  const runtime = new FakeRuntime();
  const started = vi.fn(() => runtime.emit(runStart()));
  const exit = runDashboard(runtime, {
    modeLabel: 'offline',
    scenario: 'tour',
    start: started,
    colors: false,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    processEvents,
  });
  await settle();
  return { stdout, stdin, stderr, processEvents, runtime, exit, started };
}

function expectRestored(stdout: FakeStdout, stdin: FakeStdin) {
  expect(stdout.output.startsWith(ENTER_SCREEN)).toBe(true);
  expect(stdout.output.endsWith(LEAVE_SCREEN)).toBe(true);
  expect(stdin.rawMode.at(-1)).toBe(false);
}

describe('runDashboard', () => {
  test('q stops the run, leaves the alternate screen and exits 0', async () => {
    const { stdout, stdin, runtime, exit, started, processEvents } = await start();
    expect(started).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(stdout.output).toContain('Alpha-GPU'));
    stdin.type('q');
    await expect(exit).resolves.toBe(0);
    expect(runtime.calls).toContainEqual({ method: 'stop' });
    expect(runtime.listenerCount).toBe(0);
    expect(processEvents.eventNames()).toEqual([]);
    expectRestored(stdout, stdin);
  });

  test('Ctrl+C goes through the keymap and exits 0', async () => {
    const { stdout, stdin, exit } = await start();
    stdin.type(KEYS.ctrlC);
    await expect(exit).resolves.toBe(0);
    expectRestored(stdout, stdin);
  });

  test.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ])('%s restores the terminal', async (signal, code) => {
    const { stdout, stdin, runtime, exit, processEvents } = await start();
    processEvents.emit(signal);
    await expect(exit).resolves.toBe(code);
    expect(runtime.calls).toContainEqual({ method: 'stop' });
    expectRestored(stdout, stdin);
  });

  test('an uncaught exception restores the terminal, reports it and exits 1', async () => {
    const { stdout, stdin, stderr, exit, processEvents } = await start();
    processEvents.emit('uncaughtException', new Error('boom'));
    await expect(exit).resolves.toBe(1);
    expect(stderr.output).toContain('hybrid-tui: Error: boom');
    expectRestored(stdout, stdin);
  });

  test('an unhandled rejection does too', async () => {
    const { stdout, stdin, stderr, exit, processEvents } = await start();
    processEvents.emit('unhandledRejection', 'lost promise');
    await expect(exit).resolves.toBe(1);
    expect(stderr.output).toContain('hybrid-tui: lost promise');
    expectRestored(stdout, stdin);
  });
});
