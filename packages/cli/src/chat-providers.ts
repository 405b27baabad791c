import { readFileSync } from 'node:fs';
import type { ChatProvider } from '@universal-mcp/dashboard';
import { didYouMeanText } from '@universal-mcp/core/internal';
import { PROVIDERS, apiKeyFor, isProviderType, makeModel, type ProviderType } from './chat.js';
import type { CliArgs } from './cli-args.js';
import { UsageError } from './exit-codes.js';

/** One provider of the config file's `chat.providers`. */
interface ProviderEntry {
  readonly name?: unknown;
  readonly type?: unknown;
  readonly models?: unknown;
  readonly baseURL?: unknown;
  readonly apiKeyEnv?: unknown;
}

/** The keys a provider entry takes. */
const PROVIDER_KEYS = ['name', 'type', 'models', 'baseURL', 'apiKeyEnv'] as const;

/** Why a provider key is refused: a misspelt one gets a guess, a key written into the file the way to name it. */
function unknownKey(key: string): string {
  const guess = didYouMeanText(key, PROVIDER_KEYS);
  if (guess !== '') return `unknown key${guess}`;
  if (/key|token|secret|password/i.test(key))
    return 'unknown key (keys are never written in the file: name the variable in apiKeyEnv)';
  return `unknown key; keys: ${PROVIDER_KEYS.join(', ')}`;
}

/**
 * The chat's providers: `--provider`/`--model` (and `--base-url`) first, then the config file's
 * `chat.providers`. Keys come from the environment only (`apiKeyEnv`, default OPENAI_API_KEY or
 * ANTHROPIC_API_KEY), are checked now, and stay in the process.
 */
export function chatProviders(args: CliArgs, file: string, env: NodeJS.ProcessEnv = process.env): ChatProvider[] {
  const providers: ChatProvider[] = [];
  const add = (name: string, type: ProviderType, models: string[], baseUrl: string | undefined, keyVar?: string) => {
    const apiKey = apiKeyFor(type, baseUrl, env, `umcp dashboard (chat provider "${name}")`, keyVar);
    if (providers.some((p) => p.name === name)) throw new UsageError(`two chat providers are named "${name}"`);
    providers.push({ name, models, model: (model) => makeModel(type, model, apiKey, baseUrl) });
  };
  if (args.provider !== undefined || args.model !== undefined) {
    if (!isProviderType(args.provider))
      throw new UsageError(`umcp dashboard --model needs --provider ${PROVIDERS.join(' | ')}`);
    if (args.model === undefined) throw new UsageError('umcp dashboard --provider needs --model <model>');
    add(args.provider, args.provider, [args.model], args.baseUrl);
  }
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { chat?: { providers?: unknown } };
  if (doc.chat === undefined) return providers;
  for (const key of Object.keys(doc.chat))
    if (key !== 'providers')
      throw new UsageError(
        `${file}: chat.${key}: unknown key${didYouMeanText(key, ['providers'])}; expected "providers"`,
      );
  const entries = doc.chat.providers;
  const where = `${file}: chat.providers`;
  if (!Array.isArray(entries)) throw new UsageError(`${where}: expected a list of providers`);
  entries.forEach((raw: ProviderEntry, i) => {
    const at = `${where}[${i}]`;
    if (typeof raw !== 'object' || raw === null) throw new UsageError(`${at}: expected an object`);
    const type = raw.type;
    if (!isProviderType(type)) throw new UsageError(`${at}.type: expected ${PROVIDERS.join(' | ')}`);
    const models = raw.models;
    if (!Array.isArray(models) || models.length === 0 || !models.every((m) => typeof m === 'string' && m !== ''))
      throw new UsageError(`${at}.models: expected a list of model names`);
    for (const key of ['name', 'baseURL', 'apiKeyEnv'] as const) {
      if (raw[key] !== undefined && (typeof raw[key] !== 'string' || raw[key] === ''))
        throw new UsageError(`${at}.${key}: expected a string`);
    }
    for (const key of Object.keys(raw))
      if (!(PROVIDER_KEYS as readonly string[]).includes(key)) throw new UsageError(`${at}.${key}: ${unknownKey(key)}`);
    add(
      (raw.name as string | undefined) ?? type,
      type,
      models as string[],
      raw.baseURL as string | undefined,
      raw.apiKeyEnv as string | undefined,
    );
  });
  return providers;
}
