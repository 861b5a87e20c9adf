/**
 * What every fake server logs of each request it receives (its `requests` array, in arrival
 * order); each vendor's record extends it with what that API makes worth asserting (query,
 * mailbox, headers, body).
 */
export interface RecordedRequest {
  /** HTTP method as received, e.g. `POST`. */
  readonly method: string;
  /** The path without query, e.g. `/v2/actors/jane~enricher/runs`. */
  readonly path: string;
  /** The HTTP status answered; 0 while still in flight (latency, a held answer) or when cut. */
  readonly status: number;
  /** Arrival time, ms since the epoch. */
  readonly at: number;
}
