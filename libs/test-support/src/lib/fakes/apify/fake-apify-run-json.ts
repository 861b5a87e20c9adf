import type { FakeApifyRun } from './fake-apify-run';

/**
 * A run as Apify's `Run` object (apify/apify-docs `components/schemas/actor-runs/Run.yaml`),
 * the `data` of `{ data: Run }`: `id`, `actId` (the actor's id, not its name), `userId`,
 * `startedAt`/`finishedAt` (ISO strings, `finishedAt` null until terminal), `status`,
 * `statusMessage`, `meta`, `stats`, `options`, `buildId`, `exitCode`, the default storage ids
 * and usage. Figures that a real run measures (memory, CPU, network) are zero; `computeUnits` is
 * `memory GB x hours`, and `usageTotalUsd` is 0.4 USD per compute unit.
 */
export function runJson(run: FakeApifyRun, userId: string, origin = 'API'): Record<string, unknown> {
  const now = Date.now();
  const durationMillis = (run.finishedAt?.getTime() ?? now) - run.startedAt.getTime();
  const computeUnits = round((run.options.memoryMbytes / 1024) * (durationMillis / 3_600_000));
  const itemCount = run.items(now).length;
  return {
    id: run.id,
    actId: run.actor.id,
    userId,
    actorTaskId: null,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    status: run.status,
    statusMessage: run.statusMessage,
    isStatusMessageTerminal: run.isTerminal ? true : null,
    meta: { origin, clientIp: '127.0.0.1', userAgent: 'fake-apify' },
    stats: {
      inputBodyLen: run.inputBodyLen,
      migrationCount: 0,
      rebootCount: 0,
      restartCount: 0,
      resurrectCount: 0,
      memAvgBytes: 0,
      memMaxBytes: 0,
      memCurrentBytes: 0,
      cpuAvgUsage: 0,
      cpuMaxUsage: 0,
      cpuCurrentUsage: 0,
      netRxBytes: 0,
      netTxBytes: 0,
      durationMillis,
      runTimeSecs: durationMillis / 1000,
      metamorph: 0,
      computeUnits,
    },
    options: { ...run.options },
    buildId: run.buildId,
    buildNumber: '0.0.1',
    exitCode: run.exitCode,
    generalAccess: 'FOLLOW_USER_SETTING',
    defaultKeyValueStoreId: run.defaultKeyValueStoreId,
    defaultDatasetId: run.defaultDatasetId,
    defaultRequestQueueId: run.defaultRequestQueueId,
    containerUrl: `https://${run.id.toLowerCase()}.runs.apify.net`,
    isContainerServerReady: false,
    gitBranchName: null,
    usage: { ACTOR_COMPUTE_UNITS: computeUnits, DATASET_WRITES: itemCount },
    usageTotalUsd: round(computeUnits * 0.4),
  };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
