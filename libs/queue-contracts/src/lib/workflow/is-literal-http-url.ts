import { httpUrlSchema } from '../contracts/common';

/**
 * How an `http_request` step's `url` reads: `true` when it is an absolute `http:`/`https:` URL,
 * taken as written; `false` when it is a JSONata expression whose value is the URL (e.g.
 * `"https://crm.example.com/leads/" & context.leadId`). No URL is a valid JSONata expression
 * (`https:` is a syntax error there), so the two never overlap.
 */
export function isLiteralHttpUrl(url: string): boolean {
  return httpUrlSchema.safeParse(url).success;
}
