/** The `Authorization` header of a machine's bearer token. */
export const bearer = (token: string): { authorization: string } => ({ authorization: `Bearer ${token}` });

/** Only a guard against a hang: a request that gets no answer within it fails the test. */
export const CLIENT_TIMEOUT_MS = 60_000;

/** What {@link callDashboard} saw: the status, `Retry-After`, and the body (parsed JSON, else its text). */
export interface DashboardAnswer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: unknown;
}

/** One request to the dashboard, answered within {@link CLIENT_TIMEOUT_MS}. */
export async function callDashboard(url: string, init: RequestInit = {}): Promise<DashboardAnswer> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the assertion message
  }
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
}
