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

/**
 * The baseline both LLM benches measure in the same run: bare streamed requests (plain fetch, no
 * SDK, no runtime) to an endpoint. The first two warm the connection and are left out.
 */
export async function bareCallSamples(
  baseUrl: string,
  model: string,
  count: number,
): Promise<number[]> {
  const body = JSON.stringify({
    model,
    stream: true,
    messages: [{ role: 'user', content: 'Respond with ONLY a JSON object: {"node_id": "nX"}' }],
  });
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const res = await fetch(`${baseUrl}/chat/completions`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    await res.text();
    samples.push(performance.now() - started);
  }
  return samples.slice(2);
}
