import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The parts of a Compose file the checks read; everything else stays `unknown`. */
export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly volumes?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/** A service as written (after YAML merge keys are applied). */
export interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly context?: string; readonly dockerfile?: string; readonly args?: Readonly<Record<string, string>> };
  readonly command?: readonly string[] | string;
  readonly environment?: Readonly<Record<string, string>>;
  readonly env_file?: unknown;
  readonly depends_on?: Readonly<Record<string, { readonly condition?: string }>>;
  readonly healthcheck?: { readonly test?: readonly string[] | string; readonly interval?: string; readonly timeout?: string; readonly start_period?: string; readonly retries?: number };
  readonly ports?: readonly (string | number)[];
  readonly volumes?: readonly string[];
  readonly stop_grace_period?: string;
  readonly [key: string]: unknown;
}

/**
 * Reads a Compose file as Docker Compose does: YAML with `<<` merge keys resolved (Compose's
 * fragments), so `x-` extension blocks merged into services count as the services' own keys.
 * @throws Error when the YAML does not parse or has no `services` map.
 */
export function loadComposeFile(path: string): ComposeFile {
  const doc: unknown = parse(readFileSync(path, 'utf8'), { merge: true });
  if (typeof doc !== 'object' || doc === null || typeof (doc as { services?: unknown }).services !== 'object') throw new Error(`${path} has no services`);
  return doc as ComposeFile;
}
