import robotsParser from 'robots-parser';
import type { Logger } from '@jobs/worker-kit';
import { fetchWithRedirects, type RedirectFetchOutcome } from './fetch-with-redirects';
import type { HttpFetcher } from './http-fetcher';

/** What {@link RobotsPolicy} needs. */
export interface RobotsPolicyDeps {
  readonly fetcher: HttpFetcher;
  /** Matched against robots.txt `User-agent` groups by its product token (before `/`). */
  readonly userAgent: string;
  readonly log: Logger;
}

/**
 * May a URL be fetched: `allowed`, or not, either because the rules disallow it or because the
 * origin's robots.txt was unreachable (`unreachable` says why: a network error or a 5xx).
 */
export type RobotsVerdict =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly unreachable?: string };

type Rules = (url: string) => RobotsVerdict;

const ALLOWED: RobotsVerdict = Object.freeze({ allowed: true });
const DISALLOWED: RobotsVerdict = Object.freeze({ allowed: false });

// RFC 9309 §2.5: crawlers must parse at least 500 KiB of a robots.txt; we read that much.
const ROBOTS_MAX_BYTES = 500 * 1024;
// RFC 9309 §2.3.1.2: follow at least five consecutive redirects for robots.txt.
const ROBOTS_MAX_REDIRECTS = 5;

/**
 * Answers "may the crawler fetch this URL?" from each origin's `/robots.txt`, fetched once per
 * origin (scheme, host and port) and kept for the policy's life (one audit). Rules of RFC 9309
 * §2.3.1: a 2xx file is parsed with `robots-parser`; 4xx (404 included) means no rules, allow
 * all; 5xx or a network failure means the file is unreachable, so disallow all (the verdict
 * says `unreachable`, so callers can report a failure rather than a rule). A robots.txt
 * whose address the guard refuses allows all here: the page request itself is then refused
 * and counted as such.
 */
export class RobotsPolicy {
  private readonly rules = new Map<string, Promise<Rules>>();

  constructor(private readonly deps: RobotsPolicyDeps) {}

  /**
   * Whether `url` may be fetched, and if not, why.
   * @throws only the job signal's reason when the job is aborted.
   */
  async check(url: URL): Promise<RobotsVerdict> {
    let rules = this.rules.get(url.origin);
    if (!rules) {
      rules = this.load(url.origin);
      this.rules.set(url.origin, rules);
    }
    return (await rules)(url.href);
  }

  /** Shorthand for `(await check(url)).allowed`. */
  async isAllowed(url: URL): Promise<boolean> {
    return (await this.check(url)).allowed;
  }

  private async load(origin: string): Promise<Rules> {
    const robotsUrl = new URL('/robots.txt', origin);
    const outcome = await fetchWithRedirects(this.deps.fetcher, robotsUrl, {
      method: 'GET',
      maxRedirects: ROBOTS_MAX_REDIRECTS,
      readBody: (status) => status >= 200 && status < 300,
    });
    if (outcome.kind === 'refused') return () => ALLOWED;
    const failure = unreachableReason(outcome);
    if (failure !== null) {
      this.deps.log.warn({ origin, failure }, 'robots.txt unreachable; not crawling the origin');
      const verdict: RobotsVerdict = Object.freeze({
        allowed: false,
        unreachable:
          `robots.txt could not be fetched (${failure}); ` +
          'RFC 9309 forbids crawling the origin until it can',
      });
      return () => verdict;
    }
    if (outcome.kind !== 'response') return () => ALLOWED;
    const { status, body } = outcome.response;
    if (status < 200 || status >= 300 || !body) return () => ALLOWED;
    const text = body.subarray(0, ROBOTS_MAX_BYTES).toString('utf8');
    // Parsed against the URL asked for, so rules apply to this origin even after a redirect.
    const robots = robotsParser(robotsUrl.href, text);
    const userAgent = this.deps.userAgent;
    return (href) => (robots.isAllowed(href, userAgent) === false ? DISALLOWED : ALLOWED);
  }
}

/** Why robots.txt counts as unreachable (no response, or 5xx), or `null` when it answered. */
function unreachableReason(outcome: RedirectFetchOutcome): string | null {
  if (outcome.kind === 'failed') return outcome.error;
  if (outcome.kind === 'response' && outcome.response.status >= 500) {
    return `HTTP ${outcome.response.status}`;
  }
  return null;
}
