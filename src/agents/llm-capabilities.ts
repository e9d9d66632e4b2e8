// What an endpoint accepts, learnt by asking. OpenAI-compatible servers differ: some refuse
// response_format (or one of its types), stream_options, max_tokens or temperature with a 400.
// A client starts with the full request and drops or swaps what the endpoint says it refuses.
import type OpenAI from 'openai';
import type { AgentRequest } from '../core/types.js';
import type { JsonMode } from './config-file.js';
import type { ChatMessage } from './prompts.js';

export type FormatLevel = Exclude<JsonMode, 'auto'>;

/** What this endpoint turned out to accept, learnt once per client and shared by its calls. */
export interface Capabilities {
  format: FormatLevel;
  /** Whether the format may be downgraded when the endpoint refuses it (only in `auto`). */
  formatLadder: boolean;
  streamOptions: boolean;
  tokensParam: 'max_tokens' | 'max_completion_tokens';
  temperature: boolean;
}

export type ChatBody = OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming;
type ResponseFormat =
  OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming['response_format'];

export function initialCapabilities(jsonMode: JsonMode): Capabilities {
  return {
    format: jsonMode === 'auto' ? 'json_schema' : jsonMode,
    formatLadder: jsonMode === 'auto',
    streamOptions: true,
    tokensParam: 'max_tokens',
    temperature: true,
  };
}

/** What every request carries whatever the endpoint accepts. */
export interface RequestParts {
  model: string;
  messages: ChatMessage[];
  temperature: number;
  maxTokens: number;
}

export function requestBody(
  caps: Capabilities,
  request: AgentRequest,
  { model, messages, temperature, maxTokens }: RequestParts,
): ChatBody {
  const body: ChatBody = {
    model,
    messages,
    stream: true,
  };
  if (caps.streamOptions) body.stream_options = { include_usage: true };
  if (caps.temperature) body.temperature = temperature;
  if (caps.tokensParam === 'max_tokens') body.max_tokens = maxTokens;
  else body.max_completion_tokens = maxTokens;
  const format = responseFormat(request, caps.format);
  if (format) body.response_format = format;
  return body;
}

/**
 * Adjusts the per-client capabilities to what a 400 says the endpoint refuses. Judged against
 * what this request sent: a parallel call may already have adapted, and then a retry with the
 * current capabilities is all that is needed (no second downgrade).
 */
export function adaptTo(caps: Capabilities, detail: string, sent: ChatBody): boolean {
  const d = detail.toLowerCase();
  const sentFormat = sent.response_format?.type;
  if (
    /response_format|json_schema|json_object|structured output|guided/.test(d) &&
    (sentFormat === 'json_schema' || sentFormat === 'json_object')
  ) {
    if (!caps.formatLadder) return false;
    if (caps.format === sentFormat)
      caps.format = sentFormat === 'json_schema' ? 'json_object' : 'off';
    return true;
  }
  if (d.includes('stream_options') && sent.stream_options) {
    caps.streamOptions = false;
    return true;
  }
  if (d.includes('max_tokens') && d.includes('max_completion_tokens') && sent.max_tokens != null) {
    caps.tokensParam = 'max_completion_tokens';
    return true;
  }
  if (d.includes('temperature') && sent.temperature != null) {
    caps.temperature = false;
    return true;
  }
  return false;
}

function responseFormat(request: AgentRequest, level: FormatLevel): ResponseFormat | undefined {
  if (level === 'off') return undefined;
  if (level === 'json_object') return { type: 'json_object' };
  const schema =
    request.kind === 'propose'
      ? {
          type: 'object',
          properties: {
            node_id: { type: 'string', enum: request.nodes.map((n) => n.id) },
            score: { type: 'number' },
            reasoning: { type: 'string' },
          },
          required: ['node_id', 'score', 'reasoning'],
          additionalProperties: false,
        }
      : {
          type: 'object',
          properties: {
            vote: { type: 'string', enum: ['accept', 'reject'] },
            confidence: { type: 'number' },
            reasoning: { type: 'string' },
          },
          required: ['vote', 'confidence', 'reasoning'],
          additionalProperties: false,
        };
  return {
    type: 'json_schema',
    json_schema: { name: request.kind === 'propose' ? 'proposal' : 'vote', strict: true, schema },
  };
}
