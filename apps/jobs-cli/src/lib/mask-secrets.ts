import { maskSecrets as maskWithKit } from '@jobs/worker-kit';

/**
 * A copy of `value` fit to show an operator (who pastes it into tickets): the worker kit's
 * `maskSecrets` (the one rule set, shared with the dashboard: values under keys naming secrets
 * replaced whole, every string through the kit's value patterns and registered values), written
 * with `***` as the CLI's other lines (through `redactSecrets`) write a removed secret. Plain JSON
 * in, plain JSON out (dates as their ISO strings).
 */
export function maskSecrets(value: unknown): unknown {
  return maskWithKit(value, { mask: '***' });
}
