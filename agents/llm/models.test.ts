import { describe, expect, it } from 'vitest';
import { parseSettings, type SettingsInput } from '../../core/settings.ts';
import {
  DEFAULT_OLLAMA_URL,
  DEFAULT_OPENAI_COMPATIBLE_URL,
  describeModel,
  modelChain,
  ollamaBaseUrl,
} from './models.ts';
import { hasModel } from './preflight.ts';

const llm = (input: SettingsInput['llm'] = {}) => parseSettings({ llm: input }).llm;

describe('ollamaBaseUrl', () => {
  it('uses the configured URL first, whatever OLLAMA_HOST says', () => {
    expect(ollamaBaseUrl('http://gpu-box:11434', { OLLAMA_HOST: 'other:1' })).toBe('http://gpu-box:11434');
  });

  it.each([
    ['http://gpu-box:11434/', 'http://gpu-box:11434'],
    ['http://gpu-box:11434///', 'http://gpu-box:11434'],
    ['https://ollama.example/base/', 'https://ollama.example/base'],
  ])('strips trailing slashes from the configured %s', (configured, expected) => {
    expect(ollamaBaseUrl(configured, {})).toBe(expected);
  });

  it.each([
    ['http://10.0.0.5:11434', 'http://10.0.0.5:11434'],
    ['https://ollama.example', 'https://ollama.example'],
    ['https://ollama.example:8443/', 'https://ollama.example:8443'],
    ['10.0.0.5:11434', 'http://10.0.0.5:11434'],
    ['localhost:11500', 'http://localhost:11500'],
    ['localhost:11500//', 'http://localhost:11500'],
    ['  10.0.0.5:11434  ', 'http://10.0.0.5:11434'],
    ['[::1]:11434', 'http://[::1]:11434'],
  ])('then OLLAMA_HOST=%j', (host, expected) => {
    expect(ollamaBaseUrl(undefined, { OLLAMA_HOST: host })).toBe(expected);
  });

  it.each([{}, { OLLAMA_HOST: '' }, { OLLAMA_HOST: '   ' }])('else the default, for env %j', (env) => {
    expect(ollamaBaseUrl(undefined, env)).toBe('http://127.0.0.1:11434');
    expect(DEFAULT_OLLAMA_URL).toBe('http://127.0.0.1:11434');
  });

  it('treats an empty configured URL as not configured', () => {
    expect(ollamaBaseUrl('', { OLLAMA_HOST: 'box:1' })).toBe('http://box:1');
  });

  // `OLLAMA_HOST=0.0.0.0` (set so the server listens everywhere) must still reach :11434, as for the ollama CLI.
  it('uses Ollama’s port 11434 when OLLAMA_HOST has neither scheme nor port, as Ollama does', () => {
    expect(ollamaBaseUrl(undefined, { OLLAMA_HOST: '0.0.0.0' })).toBe('http://0.0.0.0:11434');
    expect(ollamaBaseUrl(undefined, { OLLAMA_HOST: 'localhost' })).toBe('http://localhost:11434');
  });
});

describe('modelChain', () => {
  it('is empty when the LLM is switched off, fallbacks or not', () => {
    expect(modelChain(llm({ provider: 'none' }), {})).toEqual([]);
    expect(modelChain(llm({ provider: 'none', fallbacks: [{ provider: 'ollama', model: 'mistral:7b' }] }), {})).toEqual(
      [],
    );
  });

  it('resolves the default Ollama model from the environment', () => {
    expect(modelChain(llm(), { OLLAMA_HOST: 'gpu-box:11434' })).toEqual([
      { provider: 'ollama', model: 'qwen2.5:7b', baseUrl: 'http://gpu-box:11434' },
    ]);
    expect(modelChain(llm(), {})).toEqual([{ provider: 'ollama', model: 'qwen2.5:7b', baseUrl: DEFAULT_OLLAMA_URL }]);
  });

  it('gives the OpenAI-compatible provider its own default URL, without trailing slashes', () => {
    expect(modelChain(llm({ provider: 'openai-compatible', model: 'm' }), { OLLAMA_HOST: 'x:1' })).toEqual([
      { provider: 'openai-compatible', model: 'm', baseUrl: DEFAULT_OPENAI_COMPATIBLE_URL },
    ]);
    expect(
      modelChain(llm({ provider: 'openai-compatible', model: 'm', baseUrl: 'http://127.0.0.1:8080/v1/' }), {})[0]
        ?.baseUrl,
    ).toBe('http://127.0.0.1:8080/v1');
  });

  it('lets a fallback of the same provider inherit the primary’s URL', () => {
    const chain = modelChain(
      llm({
        baseUrl: 'http://gpu-box:11434/',
        model: 'llama3.2:3b',
        fallbacks: [
          { provider: 'ollama', model: 'mistral:7b' },
          { provider: 'ollama', model: 'phi3', baseUrl: 'http://laptop:11434' },
        ],
      }),
      { OLLAMA_HOST: 'ignored:1' },
    );
    expect(chain.map((s) => [s.model, s.baseUrl])).toEqual([
      ['llama3.2:3b', 'http://gpu-box:11434'],
      ['mistral:7b', 'http://gpu-box:11434'],
      ['phi3', 'http://laptop:11434'],
    ]);
  });

  it('does not hand the primary’s URL to a fallback of another provider', () => {
    const fromOpenAi = modelChain(
      llm({
        provider: 'openai-compatible',
        baseUrl: 'http://127.0.0.1:1234/v1',
        model: 'local-model',
        fallbacks: [{ provider: 'ollama', model: 'llama3.2:3b' }],
      }),
      { OLLAMA_HOST: 'gpu-box:11434' },
    );
    expect(fromOpenAi[1]).toEqual({ provider: 'ollama', model: 'llama3.2:3b', baseUrl: 'http://gpu-box:11434' });

    const fromOllama = modelChain(
      llm({
        baseUrl: 'http://gpu-box:11434',
        model: 'llama3.2:3b',
        fallbacks: [{ provider: 'openai-compatible', model: 'gpt-x' }],
      }),
      {},
    );
    expect(fromOllama[1]).toEqual({
      provider: 'openai-compatible',
      model: 'gpt-x',
      baseUrl: DEFAULT_OPENAI_COMPATIBLE_URL,
    });
  });

  it('reads the API key from the named environment variable', () => {
    const chain = modelChain(
      llm({ provider: 'openai-compatible', baseUrl: 'http://127.0.0.1:1234/v1', model: 'm', apiKeyEnv: 'MY_KEY' }),
      { MY_KEY: 'sk-secret' },
    );
    expect(chain[0]?.apiKey).toBe('sk-secret');
  });

  it('has no key when the variable is unset or empty, or none is named', () => {
    const settings = llm({ provider: 'openai-compatible', model: 'm', apiKeyEnv: 'MY_KEY' });
    expect(modelChain(settings, {})[0]).not.toHaveProperty('apiKey');
    expect(modelChain(settings, { MY_KEY: '' })[0]).not.toHaveProperty('apiKey');
    expect(modelChain(llm({ provider: 'openai-compatible', model: 'm' }), { MY_KEY: 'sk' })[0]).not.toHaveProperty(
      'apiKey',
    );
  });

  it('never takes a key from the settings themselves', () => {
    // The settings schema has no field for a key: one written there is refused, not used.
    expect(() => parseSettings({ llm: { provider: 'openai-compatible', model: 'm', apiKey: 'sk-in-file' } })).toThrow(
      /llm/,
    );
    // apiKeyEnv is a variable name, never the key itself.
    expect(() => parseSettings({ llm: { apiKeyEnv: 'sk-live-1234-abcd' } })).toThrow(/environment variable name/);
    const settings = llm({ provider: 'openai-compatible', model: 'm', apiKeyEnv: 'SK_IN_NAME' });
    expect(modelChain(settings, {})[0]?.apiKey).toBeUndefined();
  });

  it('gives fallbacks their own key variable, else the primary’s', () => {
    const chain = modelChain(
      llm({
        provider: 'openai-compatible',
        baseUrl: 'http://127.0.0.1:1234/v1',
        model: 'a',
        apiKeyEnv: 'KEY_A',
        fallbacks: [
          { provider: 'openai-compatible', model: 'b', apiKeyEnv: 'KEY_B' },
          { provider: 'openai-compatible', model: 'c' },
        ],
      }),
      { KEY_A: 'sk-a', KEY_B: 'sk-b' },
    );
    expect(chain.map((s) => [s.model, s.apiKey])).toEqual([
      ['a', 'sk-a'],
      ['b', 'sk-b'],
      ['c', 'sk-a'],
    ]);
  });

  it('reads process.env by default', () => {
    const before = process.env.DB_MODELS_TEST_KEY;
    process.env.DB_MODELS_TEST_KEY = 'sk-from-process';
    try {
      const chain = modelChain(llm({ provider: 'openai-compatible', model: 'm', apiKeyEnv: 'DB_MODELS_TEST_KEY' }));
      expect(chain[0]?.apiKey).toBe('sk-from-process');
    } finally {
      if (before === undefined) delete process.env.DB_MODELS_TEST_KEY;
      else process.env.DB_MODELS_TEST_KEY = before;
    }
  });
});

describe('describeModel', () => {
  it('names an Ollama model alone, and an OpenAI-compatible one with its server, never with its key', () => {
    expect(describeModel({ provider: 'ollama', model: 'llama3.2:3b', baseUrl: 'http://x:1' })).toBe('llama3.2:3b');
    const text = describeModel({ provider: 'openai-compatible', model: 'm', baseUrl: 'http://x:1/v1', apiKey: 'sk-s' });
    expect(text).toBe('m (http://x:1/v1)');
  });
});

describe('hasModel', () => {
  const installed = ['llama3.2:3b', 'nomic-embed-text:latest', 'mistral'];
  it.each([
    ['llama3.2:3b', true],
    ['nomic-embed-text', true],
    ['nomic-embed-text:latest', true],
    ['mistral', true],
    ['mistral:latest', true],
    ['llama3.2', false],
    ['llama3.2:latest', false],
    ['llama3.2:1b', false],
    ['mistral:7b', false],
    ['Mistral', false],
    ['', false],
  ])('%j installed: %s', (model, expected) => {
    expect(hasModel(installed, model)).toBe(expected);
  });

  it('finds nothing in an empty list', () => {
    expect(hasModel([], 'llama3.2:3b')).toBe(false);
  });
});

describe('API keys of fallbacks', () => {
  it('never sends the primary’s key to a fallback on another server', () => {
    const chain = modelChain(
      llm({
        provider: 'openai-compatible',
        baseUrl: 'http://127.0.0.1:1234/v1',
        apiKeyEnv: 'PRIMARY_KEY',
        fallbacks: [
          { provider: 'openai-compatible', model: 'same-server' },
          { provider: 'openai-compatible', model: 'elsewhere', baseUrl: 'https://api.example.com/v1' },
        ],
      }),
      { PRIMARY_KEY: 'sk-primary' },
    );
    expect(chain.map((s) => [s.model, s.apiKey])).toEqual([
      ['qwen2.5:7b', 'sk-primary'],
      ['same-server', 'sk-primary'],
      ['elsewhere', undefined],
    ]);
  });
});
