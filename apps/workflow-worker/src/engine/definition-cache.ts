import type { WorkflowDefinition } from '@jobs/queue-contracts';

/** Where definitions are read from: `WorkflowClient` (or anything shaped like it). */
export interface WorkflowDefinitionSource {
  /**
   * The definition `workflowId` at `version` (latest without it), parsed.
   * @returns null when there is none.
   */
  getWorkflowDefinition(workflowId: string, version?: number): Promise<{ version: number; definition: WorkflowDefinition } | null>;
}

/**
 * Versions of definitions kept in memory: a saved version never changes (saving makes a new
 * one), so a run resumed thousands of times reads and parses its definition once per process.
 * The latest version is never cached (a save changes which one it is). Bounded to `maxEntries`,
 * oldest dropped first.
 */
export class DefinitionCache implements WorkflowDefinitionSource {
  private readonly entries = new Map<string, { version: number; definition: WorkflowDefinition }>();

  constructor(
    private readonly source: WorkflowDefinitionSource,
    private readonly maxEntries = 1000,
  ) {}

  async getWorkflowDefinition(workflowId: string, version?: number): Promise<{ version: number; definition: WorkflowDefinition } | null> {
    if (version !== undefined) {
      const cached = this.entries.get(`${workflowId}\n${version}`);
      if (cached) return cached;
    }
    const found = await this.source.getWorkflowDefinition(workflowId, version);
    if (found) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(`${workflowId}\n${found.version}`, found);
    }
    return found;
  }
}
