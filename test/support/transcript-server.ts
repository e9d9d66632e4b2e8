// Replays recorded HTTP exchanges of real servers (test/llm/transcripts/<server>/<case>.http) to the
// real `openai` client over a local socket, byte for byte: status line, headers, body. A transcript
// file is `# source` comment lines, the status line, headers, a blank line, then the body verbatim.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface Transcript {
  name: string;
  source: string;
  status: number;
  reason: string;
  headers: [string, string][];
  body: string;
}

const DIR = join(import.meta.dirname, '../llm/transcripts');

export function readTranscript(server: string, name: string): Transcript {
  const text = readFileSync(join(DIR, server, `${name}.http`), 'utf8');
  const lines = text.split('\n');
  const source: string[] = [];
  let i = 0;
  for (; lines[i]?.startsWith('#'); i++) source.push((lines[i] ?? '').replace(/^# ?/, ''));
  const status = /^HTTP\/1\.1 (\d{3}) (.*)$/.exec(lines[i++] ?? '');
  if (!status) throw new Error(`${server}/${name}: no status line`);
  const headers: [string, string][] = [];
  for (; lines[i] !== ''; i++) {
    const h = /^([^:]+): (.*)$/.exec(lines[i] ?? '');
    if (!h) throw new Error(`${server}/${name}: bad header line ${i + 1}`);
    headers.push([h[1] as string, h[2] as string]);
  }
  return {
    name: `${server}/${name}`,
    source: source.join('\n'),
    status: Number(status[1]),
    reason: status[2] ?? '',
    headers,
    body: lines.slice(i + 1).join('\n'),
  };
}

export interface ReplayedRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
}

export class TranscriptServer {
  readonly requests: ReplayedRequest[] = [];
  private readonly queue: Transcript[] = [];
  private models: Transcript | null = null;
  private port = 0;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<TranscriptServer> {
    let self: TranscriptServer | null = null;
    const server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (b: Buffer) => parts.push(b));
      req.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        const path = (req.url ?? '/').split('?')[0] ?? '/';
        self?.requests.push({
          method: req.method ?? 'GET',
          path,
          body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
        });
        const t =
          req.method === 'GET' && path.endsWith('/models') ? self?.models : self?.queue.shift();
        if (!t) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('no transcript queued');
          return;
        }
        res.writeHead(t.status, t.reason, Object.fromEntries(t.headers));
        // In small pieces: a real server's bytes arrive cut anywhere, not one event per read.
        for (let at = 0; at < t.body.length; at += 37) res.write(t.body.slice(at, at + 37));
        res.end();
      });
    });
    self = new TranscriptServer(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    self.port = (server.address() as AddressInfo).port;
    return self;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** The next chat completions answer these, in order. */
  enqueue(...transcripts: Transcript[]): void {
    this.queue.push(...transcripts);
  }

  serveModels(transcript: Transcript): void {
    this.models = transcript;
  }

  chatRequests(): ReplayedRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/chat/completions'));
  }

  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
    this.models = null;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
