// A local endpoint for the benchmarks, in a child process (fake-server-process.ts): a
// real endpoint is another machine, and its thousands of SSE writes a second must not count as
// the dashboard's CPU or delay its event loop.
import { fork } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import type { FakeServerOptions } from '../test/support/fake-openai-server.js';
import type { ServerClosed, ServerReady } from './fake-server-process.js';

export interface Endpoint {
  baseUrl: string;
  close(): Promise<ServerClosed>;
}

export async function startEndpoint(options: FakeServerOptions): Promise<Endpoint> {
  const child = fork(new URL('./fake-server-process.js', import.meta.url), [
    JSON.stringify(options),
  ]);
  const messages = new EventEmitter();
  child.on('message', (message: { type: string }) => messages.emit(message.type, message));
  const exited = once(child, 'exit');
  const early = exited.then(([code]) => {
    throw new Error(`fake endpoint exited early (${String(code)})`);
  });
  try {
    const [ready] = (await Promise.race([once(messages, 'ready'), early])) as [ServerReady];
    return {
      baseUrl: ready.baseUrl,
      async close() {
        const closed = once(messages, 'closed');
        child.send({ type: 'close' });
        const [stats] = (await closed) as [ServerClosed];
        await exited;
        return stats;
      },
    };
  } catch (err) {
    child.kill();
    throw err;
  } finally {
    early.catch(() => {});
  }
}
