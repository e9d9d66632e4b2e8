// The endpoints hybrid-tui knows by name: where each listens by default, which model to ask for,
// and which environment variable holds its key. Anything else is a "custom" endpoint.

export type ProviderId =
  'sambanova' | 'openai' | 'ollama' | 'vllm' | 'llamacpp' | 'lmstudio' | 'custom';

export interface ProviderInfo {
  id: ProviderId;
  label: string;
  baseUrl: string | null;
  /** null when the user must name the model (the server serves whatever it was started with). */
  model: string | null;
  keyEnv: string | null;
  local: boolean;
}

export const PROVIDERS: Record<ProviderId, ProviderInfo> = {
  sambanova: {
    id: 'sambanova',
    label: 'SambaNova',
    baseUrl: 'https://api.sambanova.ai/v1',
    model: 'Meta-Llama-3.3-70B-Instruct',
    keyEnv: 'SAMBANOVA_API_KEY',
    local: false,
  },
  openai: {
    id: 'openai',
    label: 'OpenAI',
    baseUrl: 'https://api.openai.com/v1',
    model: 'gpt-4o-mini',
    keyEnv: 'OPENAI_API_KEY',
    local: false,
  },
  ollama: {
    id: 'ollama',
    label: 'Ollama',
    baseUrl: 'http://localhost:11434/v1',
    model: 'llama3.2',
    keyEnv: null,
    local: true,
  },
  vllm: {
    id: 'vllm',
    label: 'vLLM',
    baseUrl: 'http://localhost:8000/v1',
    model: null,
    keyEnv: null,
    local: true,
  },
  // llama.cpp's server answers with whatever model it loaded, whatever name is sent.
  llamacpp: {
    id: 'llamacpp',
    label: 'llama.cpp',
    baseUrl: 'http://localhost:8080/v1',
    model: 'default',
    keyEnv: null,
    local: true,
  },
  lmstudio: {
    id: 'lmstudio',
    label: 'LM Studio',
    baseUrl: 'http://localhost:1234/v1',
    model: null,
    keyEnv: null,
    local: true,
  },
  custom: {
    id: 'custom',
    label: 'OpenAI-compatible endpoint',
    baseUrl: null,
    model: null,
    keyEnv: null,
    local: false,
  },
};

/** Generic key for an endpoint that is neither SambaNova nor OpenAI (a vLLM started with --api-key...). */
export const GENERIC_KEY_ENV = 'HYBRID_TUI_API_KEY';

export function providerOfUrl(baseUrl: string): ProviderId {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return 'custom';
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'api.sambanova.ai') return 'sambanova';
  if (host === 'api.openai.com') return 'openai';
  if (host === 'localhost' || host === '127.0.0.1' || host === '::1') {
    const byPort: Record<string, ProviderId> = {
      '11434': 'ollama',
      '8000': 'vllm',
      '8080': 'llamacpp',
      '1234': 'lmstudio',
    };
    return byPort[url.port] ?? 'custom';
  }
  return 'custom';
}
