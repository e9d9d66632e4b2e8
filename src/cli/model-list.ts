// The models a server lists are its text, not ours: an id with escape sequences once set the
// terminal title and turned text red in `check`, and `setup` saved it to the config. Only ids that
// are plain printable text are shown or offered; the others are counted, never printed.
import OpenAI from 'openai';
import { boundedFetch } from '../agents/bounded-fetch.js';
import { stripControl } from '../agents/sanitize.js';

export interface ServedModels {
  ids: string[];
  /** Ids left out because they carry control characters or are implausibly long. */
  hidden: number;
}

const MAX_ID_CHARS = 200;
const INVISIBLE = /[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]/;

/** True for a model name that can be shown and saved as it is. */
export function isPlainModelId(id: string): boolean {
  return (
    id.trim() !== '' &&
    id.length <= MAX_ID_CHARS &&
    stripControl(id) === id &&
    !INVISIBLE.test(id) &&
    !/[\r\n\t]/.test(id)
  );
}

export function cleanModelIds(raw: readonly unknown[]): ServedModels {
  const ids: string[] = [];
  let hidden = 0;
  for (const id of raw) {
    if (typeof id === 'string' && isPlainModelId(id)) ids.push(id);
    else hidden++;
  }
  return { ids, hidden };
}

/** "a, b, c, …" with at most `max` ids, and how many were hidden. */
export function describeModels(models: ServedModels, max: number): string {
  const shown = models.ids.slice(0, max).join(', ') || 'none';
  const more = models.ids.length > max ? `, … (${models.ids.length - max} more)` : '';
  const hidden =
    models.hidden > 0
      ? `; ${models.hidden} id${models.hidden === 1 ? '' : 's'} with control characters not shown`
      : '';
  return `${shown}${more}${hidden}`;
}

/** GET /models through the same bounded reads as the agents' calls. */
export async function fetchModelIds(
  baseUrl: string,
  apiKey: string | undefined,
  timeoutMs: number,
): Promise<ServedModels> {
  const openai = new OpenAI({
    apiKey: apiKey ?? 'no-key',
    baseURL: baseUrl,
    maxRetries: 0,
    timeout: timeoutMs,
    logLevel: 'off',
    fetch: boundedFetch(),
  });
  const page = await openai.models.list();
  return cleanModelIds(page.data.map((m) => (m as { id?: unknown }).id));
}
