import type { FakeApifyActor } from './fake-apify-actors';
import type { FakeApifyRun } from './fake-apify-run';

/**
 * A registered actor as Apify's `Actor` object (apify/apify-docs
 * `components/schemas/actors/Actor.yaml`), with the required fields; `client.actor(id).call()`
 * reads `name` from it to prefix the run's log.
 */
export function actorJson(actor: FakeApifyActor, userId: string, totalRuns: number): Record<string, unknown> {
  const createdAt = actor.createdAt.toISOString();
  return {
    id: actor.id,
    userId,
    name: actor.name,
    username: actor.username,
    title: actor.name,
    description: null,
    isPublic: false,
    createdAt,
    modifiedAt: createdAt,
    stats: { totalBuilds: 1, totalRuns, totalUsers: 1, totalUsers7Days: 1, totalUsers30Days: 1, totalUsers90Days: 1, totalMetamorphs: 0 },
    versions: [{ versionNumber: '0.0', sourceType: 'SOURCE_FILES', buildTag: 'latest' }],
    defaultRunOptions: { build: 'latest', timeoutSecs: actor.timeoutSecs, memoryMbytes: actor.memoryMbytes, restartOnError: false },
    exampleRunInput: null,
    isDeprecated: false,
    taggedBuilds: { latest: { buildId: null, buildNumber: '0.0.1', finishedAt: createdAt } },
  };
}

/**
 * A run's default dataset as Apify's `Dataset` object (`id`, `name` null for a default dataset,
 * `userId`, `createdAt`/`modifiedAt`/`accessedAt`, `itemCount`, `cleanItemCount`, `actId`,
 * `actRunId`).
 */
export function datasetJson(run: FakeApifyRun, userId: string): Record<string, unknown> {
  const items = run.items();
  const startedAt = run.startedAt.toISOString();
  return {
    id: run.defaultDatasetId,
    name: null,
    userId,
    createdAt: startedAt,
    modifiedAt: run.finishedAt?.toISOString() ?? new Date().toISOString(),
    accessedAt: new Date().toISOString(),
    itemCount: items.length,
    cleanItemCount: items.filter((item) => Object.keys(item).some((k) => !k.startsWith('#'))).length,
    actId: run.actor.id,
    actRunId: run.id,
    generalAccess: 'FOLLOW_USER_SETTING',
  };
}
