import { z } from 'zod';
import { envBooleanSchema } from '@jobs/common';
import { loadAppConfig, type WorkerConfig } from '@jobs/worker-kit';
import { DEFAULT_CRAWL_OPTIONS, type CrawlOptions } from './lib/crawl-options';

/**
 * Defaults of the SEO worker (DESIGN.md leaves them to us):
 * - concurrency 2: each audit already runs up to `SEO_PER_HOST_CONCURRENCY` requests at once and
 *   parses every page on the CPU; two audits keep a 2-core container busy without one long
 *   crawl starving the other, and bound memory to two audits' page details.
 * - 5 jobs/s: audits take seconds to minutes, so the limiter only smooths bursts of enqueues.
 * - health port 9105 (email 9101, voice 9102, enrichment 9103, workflow 9104, seo 9105, ads 9106).
 */
export const SEO_WORKER_DEFAULTS = Object.freeze({ concurrency: 2, maxJobsPerSecond: 5, healthPort: 9105 });

/** The SEO worker's resolved configuration. */
export interface SeoWorkerConfig {
  readonly worker: WorkerConfig;
  readonly crawl: Readonly<CrawlOptions>;
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const crawlEnvSchema = z.object({
  SEO_MAX_PAGES: int(1, 100_000).default(DEFAULT_CRAWL_OPTIONS.maxPages),
  SEO_PER_HOST_CONCURRENCY: int(1, 64).default(DEFAULT_CRAWL_OPTIONS.perHostConcurrency),
  SEO_REQUEST_TIMEOUT_MS: int(100, 300_000).default(DEFAULT_CRAWL_OPTIONS.requestTimeoutMs),
  SEO_MAX_RESPONSE_BYTES: int(1024, 100 * 1024 * 1024).default(DEFAULT_CRAWL_OPTIONS.maxResponseBytes),
  SEO_MAX_REDIRECTS: int(0, 20).default(DEFAULT_CRAWL_OPTIONS.maxRedirects),
  SEO_CHECK_EXTERNAL_LINKS: envBooleanSchema.default(DEFAULT_CRAWL_OPTIONS.checkExternalLinks),
  SEO_ALLOW_PRIVATE_NETWORKS: envBooleanSchema.default(DEFAULT_CRAWL_OPTIONS.allowPrivateNetworks),
  SEO_USER_AGENT: z.string().trim().min(1).max(200).default(DEFAULT_CRAWL_OPTIONS.userAgent),
  SEO_COMPETITOR_DEPTH: int(0, 3).default(DEFAULT_CRAWL_OPTIONS.competitorDepth),
  SEO_COMPETITOR_MAX_PAGES: int(1, 1000).default(DEFAULT_CRAWL_OPTIONS.competitorMaxPages),
  SEO_MAX_LINK_CHECKS: int(0, 1_000_000).default(DEFAULT_CRAWL_OPTIONS.maxLinkChecks),
});

/**
 * Reads the SEO worker's configuration: the worker kit's variables (see `loadWorkerConfig`)
 * plus the crawl settings, each defaulting to `DEFAULT_CRAWL_OPTIONS`:
 * `SEO_MAX_PAGES` (500), `SEO_PER_HOST_CONCURRENCY` (4), `SEO_REQUEST_TIMEOUT_MS` (10000),
 * `SEO_MAX_RESPONSE_BYTES` (5 MiB), `SEO_MAX_REDIRECTS` (5), `SEO_CHECK_EXTERNAL_LINKS` (false),
 * `SEO_ALLOW_PRIVATE_NETWORKS` (false), `SEO_USER_AGENT`, `SEO_COMPETITOR_DEPTH` (1),
 * `SEO_COMPETITOR_MAX_PAGES` (20), `SEO_MAX_LINK_CHECKS` (5000).
 * @param env - defaults to `process.env`.
 * @throws ConfigError naming every bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): SeoWorkerConfig {
  return loadAppConfig({ name: 'seo-worker', defaults: SEO_WORKER_DEFAULTS, envSchema: crawlEnvSchema, resolve: resolveSeoConfig }, env);
}

function resolveSeoConfig(e: z.output<typeof crawlEnvSchema>, worker: WorkerConfig): SeoWorkerConfig {
  return Object.freeze({
    worker,
    crawl: Object.freeze({
      maxPages: e.SEO_MAX_PAGES,
      perHostConcurrency: e.SEO_PER_HOST_CONCURRENCY,
      requestTimeoutMs: e.SEO_REQUEST_TIMEOUT_MS,
      maxResponseBytes: e.SEO_MAX_RESPONSE_BYTES,
      maxRedirects: e.SEO_MAX_REDIRECTS,
      checkExternalLinks: e.SEO_CHECK_EXTERNAL_LINKS,
      allowPrivateNetworks: e.SEO_ALLOW_PRIVATE_NETWORKS,
      userAgent: e.SEO_USER_AGENT,
      competitorDepth: e.SEO_COMPETITOR_DEPTH,
      competitorMaxPages: e.SEO_COMPETITOR_MAX_PAGES,
      maxLinkChecks: e.SEO_MAX_LINK_CHECKS,
    }),
  });
}
