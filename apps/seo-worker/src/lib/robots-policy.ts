import robotsParser from 'robots-parser';
import type { Logger } from '../../../../libs/worker-kit/src/lib/logger-type';
import { fetchWithRedirects } from './fetch-with-redirects';
import type { HttpFetcher } from './http-fetcher';

/** What {@link RobotsPolicy} needs. */
export interface RobotsPolicyDeps {
  readonly fetcher: HttpFetcher;
  /** Matched against robots.txt `User-agent` groups by its product token (before `/`). */
  readonly userAgent: string;
  readonly log: Logger;
}

type Verdict = (url: string) => boolean;

// RFC 9309 §2.5: crawlers must parse at least 500 KiB of a robots.txt; we read that much.
const ROBOTS_MAX_BYTES = 500 * 1024;
// RFC 9309 §2.3.1.2: follow at least five consecutive redirects for robots.txt.
const ROBOTS_MAX_REDIRECTS = 5;

/**
 * Answers "may the crawler fetch this URL?" from each origin's `/robots.txt`, fetched once per
 * origin (scheme, host and port) and kept for the policy's life (one audit). Rules of RFC 9309
 * §2.3.1: a 2xx file is parsed with `robots-parser`; 4xx (404 included) means no rules, allow
 * all; 5xx or a network failure means the file is unreachable, so disallow all. A robots.txt
 * whose address the guard refuses allows all here: the page request itself is then refused
 * and counted as such.
 */
export class RobotsPolicy {
  private readonly verdicts = new Map<string, Promise<Verdict>>();

  constructor(private readonly deps: RobotsPolicyDeps) {}

  /**
   * Whether `url` may be fetched.
   * @throws only the job signal's reason when the job is aborted.
   */
  async isAllowed(url: URL): Promise<boolean> {
    let verdict = this.verdicts.get(url.origin);
    if (!verdict) {
      verdict = this.load(url.origin);
      this.verdicts.set(url.origin, verdict);
    }
    return (await verdict)(url.href);
  }

  private async load(origin: string): Promise<Verdict> {
    const robotsUrl = new URL('/robots.txt', origin);
    const outcome = await fetchWithRedirects(this.deps.fetcher, robotsUrl, {
      method: 'GET',
      maxRedirects: ROBOTS_MAX_REDIRECTS,
      readBody: (status) => status >= 200 && status < 300,
    });
    const log = this.deps.log;
    if (outcome.kind === 'refused') return () => true;
    if (outcome.kind !== 'response') {
      log.warn({ origin, outcome: outcome.kind }, 'robots.txt unreachable; disallowing the origin');
      return () => false;
    }
    const { status, body } = outcome.response;
    if (status >= 500) {
      log.warn({ origin, status }, 'robots.txt answered a server error; disallowing the origin');
      return () => false;
    }
    if (status < 200 || status >= 300 || !body) return () => true;
    const text = body.subarray(0, ROBOTS_MAX_BYTES).toString('utf8');
    // Parsed against the URL asked for, so rules apply to this origin even after a redirect.
    const robots = robotsParser(robotsUrl.href, text);
    const userAgent = this.deps.userAgent;
    return (href) => robots.isAllowed(href, userAgent) !== false;
  }
}
