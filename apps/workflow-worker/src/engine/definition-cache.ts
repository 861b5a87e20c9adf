import type { WorkflowDefinition } from '@jobs/queue-contracts';

/** Where definitions are read from: `WorkflowClient` (or anything shaped like it). */
export interface WorkflowDefinitionSource {
  /**
   * The definition `workflowId` at `version` (latest without it), parsed.
   * @returns null when there is none.
   */
  getWorkflowDefinition(workflowId: string, version?: number): Promise<{ version: number; definition: WorkflowDefinition } | null>;
}

/** What the engine reads definitions through: the latest version's number, and a version. */
export interface WorkflowDefinitions extends WorkflowDefinitionSource {
  /** The workflow's latest version number; null when it has none. */
  latestVersion(workflowId: string): Promise<number | null>;
}

/**
 * Versions of definitions kept in memory: a saved version never changes (saving makes a new
 * one), so a definition is read and validated (every expression compiled) once per version and
 * process, not once per run start or resume. Which version is the latest is asked of Redis every
 * time (`latestVersion`: one HGET), so a save is seen by the next run that starts. Bounded to
 * `maxEntries`, oldest dropped first.
 */
export class DefinitionCache implements WorkflowDefinitions {
  private readonly entries = new Map<string, { version: number; definition: WorkflowDefinition }>();

  /**
   * @param source - reads and validates a version (the `WorkflowClient`).
   * @param readLatestVersion - the workflow's latest version number, null when it has none.
   */
  constructor(
    private readonly source: WorkflowDefinitionSource,
    private readonly readLatestVersion: (workflowId: string) => Promise<number | null>,
    private readonly maxEntries = 1000,
  ) {}

  latestVersion(workflowId: string): Promise<number | null> {
    return this.readLatestVersion(workflowId);
  }

  async getWorkflowDefinition(workflowId: string, version?: number): Promise<{ version: number; definition: WorkflowDefinition } | null> {
    const wanted = version ?? (await this.latestVersion(workflowId));
    if (wanted === null) return null;
    const key = `${workflowId}\n${wanted}`;
    const cached = this.entries.get(key);
    if (cached) return cached;
    const found = await this.source.getWorkflowDefinition(workflowId, wanted);
    if (found) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, found);
    }
    return found;
  }
}
