// The local OpenAI-compatible endpoint in a process of its own, for the dashboard bench: a real
// endpoint is another machine, so its work (5,000 timer-driven SSE writes a second) must count
// neither in the CPU figure of the process being measured nor in its event-loop delays.
// Started with fork(); options arrive as one JSON argument, the base URL goes back as a message,
// and the server closes when told to or when the parent goes away.
import { FakeOpenAiServer, type FakeServerOptions } from '../test/support/fake-openai-server.js';

export interface ServerReady {
  type: 'ready';
  baseUrl: string;
}

export interface ServerClosed {
  type: 'closed';
  requests: number;
  maxInFlight: number;
  cpuMs: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as FakeServerOptions;
const server = await FakeOpenAiServer.start(options);

let closing = false;
async function close(): Promise<void> {
  if (closing) return;
  closing = true;
  await server.close();
  const cpu = process.cpuUsage();
  const closed: ServerClosed = {
    type: 'closed',
    requests: server.chatRequests().length,
    maxInFlight: server.maxInFlight,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
  if (process.connected) process.send?.(closed, () => process.disconnect());
}

process.on('message', (message: unknown) => {
  if ((message as { type?: string }).type === 'close') void close();
});
process.on('disconnect', () => void close());
const ready: ServerReady = { type: 'ready', baseUrl: server.baseUrl };
process.send?.(ready);
