import { invalidArgument } from './fake-gmail-api-error';
import type { GmailHistoryType } from './fake-gmail-history-log';
import type { IndexKey } from './fake-gmail-message-index';
import type { GmailMessageFormat } from './fake-gmail-resources';

/** Gmail's list endpoints: `maxResults` defaults to 100 and is capped at 500. */
export const DEFAULT_MAX_RESULTS = 100;
/** Larger `maxResults` values are lowered to this, as Gmail does. */
export const MAX_MAX_RESULTS = 500;

/** `maxResults` from the query: default 100, capped at 500. @throws GmailApiError 400 when not a positive integer. */
export function readMaxResults(query: URLSearchParams): number {
  const text = query.get('maxResults');
  if (text === null) return DEFAULT_MAX_RESULTS;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw invalidArgument(`Invalid maxResults: ${text}`);
  return Math.min(value, MAX_MAX_RESULTS);
}

/** `format` from the query among `allowed`, default `full`. @throws GmailApiError 400 for another value. */
export function readFormat(query: URLSearchParams, allowed: readonly GmailMessageFormat[]): GmailMessageFormat {
  const text = (query.get('format') ?? 'full').toLowerCase();
  const format = allowed.find((f) => f === text);
  if (!format) throw invalidArgument(`Invalid format: ${query.get('format')}`);
  return format;
}

const HISTORY_TYPES: readonly GmailHistoryType[] = ['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved'];

/** The repeated `historyTypes` parameter, or `undefined` (all kinds) when absent. @throws GmailApiError 400 for an unknown kind. */
export function readHistoryTypes(query: URLSearchParams): ReadonlySet<GmailHistoryType> | undefined {
  const values = query.getAll('historyTypes');
  if (values.length === 0) return undefined;
  return new Set(
    values.map((value) => {
      const type = HISTORY_TYPES.find((t) => t.toLowerCase() === value.toLowerCase());
      if (!type) throw invalidArgument(`Invalid historyTypes: ${value}`);
      return type;
    }),
  );
}

/** The history id in query parameter `name`, or `undefined` when absent. @throws GmailApiError 400 when not a non-negative integer. */
export function readHistoryId(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null || text === '') return undefined;
  if (!/^\d{1,15}$/.test(text)) throw invalidArgument(`Invalid ${name}: ${text}`);
  return Number(text);
}

const pacificHour = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', hour: 'numeric', hourCycle: 'h23' });

/** Midnight of a calendar day in Pacific time, in ms: Gmail reads `YYYY/MM/DD` search dates that way. */
function pacificMidnightMs(year: number, month: number, day: number): number {
  for (const offsetHours of [8, 7]) {
    const at = Date.UTC(year, month - 1, day, offsetHours);
    const hour = pacificHour.formatToParts(at).find((p) => p.type === 'hour')?.value;
    if (Number(hour) === 0) return at;
  }
  return Date.UTC(year, month - 1, day, 8);
}

const searchDateMs = (text: string): number | undefined => {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(text);
  return date ? pacificMidnightMs(Number(date[1]), Number(date[2]), Number(date[3])) : undefined;
};

/**
 * The date range of a Gmail search `q`: `after:` (inclusive) and `before:` (exclusive) with epoch
 * seconds or `YYYY/MM/DD`, the latter read as midnight Pacific time as Gmail's filtering guide
 * says. Every other term is ignored, so the fake lists a superset of what Gmail would.
 */
export function readSearchRange(q: string | null): { minInternalDate?: number; maxInternalDate?: number } {
  const range: { minInternalDate?: number; maxInternalDate?: number } = {};
  for (const term of (q ?? '').split(/\s+/)) {
    const match = /^(after|before):(.+)$/i.exec(term);
    const ms = match ? searchDateMs(match[2]) : undefined;
    if (!match || ms === undefined) continue;
    if (match[1].toLowerCase() === 'after') range.minInternalDate = Math.max(range.minInternalDate ?? -Infinity, ms);
    else range.maxInternalDate = Math.min(range.maxInternalDate ?? Infinity, ms);
  }
  return range;
}

/** An opaque list page token for the position after `key`. */
export function encodeListPageToken(key: IndexKey): string {
  return Buffer.from(`${key.internalDate}:${key.seq}`, 'utf8').toString('base64url');
}

/** The position in a list page token, or `undefined` when absent. @throws GmailApiError 400 for a token this server did not make. */
export function readListPageToken(query: URLSearchParams): IndexKey | undefined {
  const token = query.get('pageToken');
  if (!token) return undefined;
  const match = /^(-?\d+):(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!match) throw invalidArgument('Invalid pageToken');
  return { internalDate: Number(match[1]), seq: Number(match[2]) };
}

/** A history page token: the id to resume at. @throws GmailApiError 400 when not a number. */
export function readHistoryPageToken(query: URLSearchParams): number | undefined {
  const token = query.get('pageToken');
  if (!token) return undefined;
  if (!/^\d{1,15}$/.test(token)) throw invalidArgument('Invalid pageToken');
  return Number(token);
}
