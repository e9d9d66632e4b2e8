// A local OpenAI-compatible endpoint in a process of its own, so a benchmark measures the
// client's cost and not the test server's: prints its base URL, serves until stdin closes.
import { FakeOpenAiServer } from '../test/support/fake-openai-server.js';

const latencyMs = Number(process.argv[2] ?? 150);
const server = await FakeOpenAiServer.start({ latencyMs, tokenDelayMs: 0 });
process.stdout.write(`${server.baseUrl}\n`);
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
