/**
 * What requesting a URL showed, for link checking: the final status after redirects, or `null`
 * with `error` when no response came (network error, timeout, too many redirects). The whole
 * value is `null` in a status map when the URL was deliberately not requested (robots.txt,
 * refused address), which is never reported as broken.
 */
export interface LinkStatus {
  readonly status: number | null;
  readonly error?: string;
}
