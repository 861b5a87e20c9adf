import { AD_KPI_NAMES, type AdKpiChanges, type AdKpis } from '@jobs/queue-contracts';
import { ratioOrNull } from './kpis-from-sums';

/**
 * Change of every KPI from `previous` to `current`: `absolute` = current − previous, `relative`
 * = absolute / previous (a fraction; null when previous is 0). Both null for a KPI that is null
 * on either side, and for every KPI when there is no previous period (`previous` null).
 */
export function kpiChanges(current: AdKpis, previous: AdKpis | null): AdKpiChanges {
  const entries = AD_KPI_NAMES.map((name) => {
    const now = current[name];
    const before = previous === null ? null : previous[name];
    if (now === null || before === null) return [name, { absolute: null, relative: null }] as const;
    const absolute = now - before;
    return [name, { absolute, relative: ratioOrNull(absolute, before) }] as const;
  });
  return Object.fromEntries(entries) as AdKpiChanges;
}
