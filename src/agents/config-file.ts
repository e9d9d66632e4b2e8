// The config file written by `hybrid-tui setup`: where it lives, and reading it strictly (an
// unknown field is a typo the user wants to hear about, not something to ignore).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  ConfigError,
  CREDENTIALS_REFUSED,
  hasCredentials,
  isHttpUrl,
  nonEmpty,
  type Env,
} from './config-checks.js';
import { jsonErrorPlace } from '../core/file-text.js';
import { oneLine } from './sanitize.js';

export type JsonMode = 'auto' | 'json_schema' | 'json_object' | 'off';

const JsonModeSchema = z.enum(['auto', 'json_schema', 'json_object', 'off']);

export const ConfigFileSchema = z.strictObject({
  provider: z
    .enum(['sambanova', 'openai', 'ollama', 'vllm', 'llamacpp', 'lmstudio', 'custom'])
    .optional(),
  baseUrl: z
    .string()
    .refine((u) => !hasCredentials(u), CREDENTIALS_REFUSED)
    .refine(isHttpUrl, 'expected an http(s) URL')
    .optional(),
  model: z.string().min(1).optional(),
  apiKey: z.string().min(1).optional(),
  timeoutS: z.number().positive().max(600).optional(),
  idleTimeoutS: z.number().positive().max(600).optional(),
  maxTokens: z
    .union([
      z.int().min(1).max(32768),
      z.strictObject({
        propose: z.int().min(1).max(32768).optional(),
        vote: z.int().min(1).max(32768).optional(),
      }),
    ])
    .optional(),
  temperature: z.number().min(0).max(2).optional(),
  jsonMode: JsonModeSchema.optional(),
  /** Per-agent endpoints by agent id (agent-endpoints.ts): the key's variable NAME, never a key. */
  agents: z
    .record(
      z.string(),
      z.strictObject({
        model: z.string().min(1).optional(),
        baseUrl: z.string().refine(isHttpUrl, 'expected an http(s) URL').optional(),
        apiKeyEnv: z.string().min(1).optional(),
      }),
    )
    .optional(),
});

export type ConfigFile = z.infer<typeof ConfigFileSchema>;

/** Where the config file lives: $HYBRID_TUI_CONFIG, else $XDG_CONFIG_HOME/hybrid-tui, else ~/.config. */
export function configFilePath(env: Env, home: string = homedir()): string {
  const explicit = nonEmpty(env['HYBRID_TUI_CONFIG']);
  if (explicit) return explicit;
  const xdg = nonEmpty(env['XDG_CONFIG_HOME']);
  return join(xdg ?? join(home, '.config'), 'hybrid-tui', 'config.json');
}

export interface LoadedConfigFile {
  path: string;
  config: ConfigFile | null;
}

/**
 * Reads and validates the config file. A missing default file is no error; a missing file named
 * by $HYBRID_TUI_CONFIG, bad JSON or a bad field is a ConfigError naming the file.
 */
export function loadConfigFile(
  env: Env,
  read: (path: string) => string = (p) => readFileSync(p, 'utf8'),
  home?: string,
): LoadedConfigFile {
  const path = configFilePath(env, home);
  let text: string;
  try {
    text = read(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !nonEmpty(env['HYBRID_TUI_CONFIG'])) return { path, config: null };
    throw new ConfigError(`${path}: cannot read (${code ?? oneLine(String(err), 60)})`);
  }
  return { path, config: parseConfigText(text, path) };
}

export function parseConfigText(text: string, path: string): ConfigFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // The parser's message quotes the text around the fault, which may be the key: only the
    // place is told.
    throw new ConfigError(
      `${path}: not valid JSON${jsonErrorPlace(err instanceof Error ? err.message : '', text)}`,
    );
  }
  const parsed = ConfigFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys') {
      throw new ConfigError(`${path}: unknown field "${oneLine(issue.keys[0] ?? '', 40)}"`);
    }
    const field = issue?.path.map(String).join('.') || '(top level)';
    throw new ConfigError(
      `${path}: field "${field}": ${oneLine(issue?.message ?? 'invalid', 100)}`,
    );
  }
  return parsed.data;
}
