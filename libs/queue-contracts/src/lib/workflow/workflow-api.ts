import type { JsonValue } from '../contracts/json-value';
import { getDefaultProducer } from '../producers';
import type { WorkflowDefinition } from './definition-schema';
import type { WorkflowRunRecord } from './run-record-schema';
import { WorkflowClient, type WorkflowSignalResult } from './workflow-client';

// The module-level workflow API, on the module-level producer's Redis and prefix (those of
// `configureProducers`, or REDIS_URL … and BULLMQ_PREFIX), as `addWorkflowExecutionJob` uses.
// A client is made per call: it holds nothing but the producer, which `closeQueues` closes.
const client = () => new WorkflowClient(getDefaultProducer());

/**
 * Validates and saves a workflow definition as its next version (1, 2, …); runs already started
 * keep the version they pinned. See {@link WorkflowClient.saveWorkflowDefinition}.
 * @throws WorkflowDefinitionError naming each bad step's path; QueueUnavailableError
 */
export function saveWorkflowDefinition(doc: unknown): Promise<{ workflowId: string; version: number }> {
  return client().saveWorkflowDefinition(doc);
}

/**
 * A workflow's definition at `version`, or its latest; `null` when none. See
 * {@link WorkflowClient.getWorkflowDefinition}.
 */
export function getWorkflowDefinition(workflowId: string, version?: number): Promise<{ version: number; definition: WorkflowDefinition } | null> {
  return client().getWorkflowDefinition(workflowId, version);
}

/** The versions saved for a workflow, ascending. See {@link WorkflowClient.listWorkflowDefinitionVersions}. */
export function listWorkflowDefinitionVersions(workflowId: string): Promise<number[]> {
  return client().listWorkflowDefinitionVersions(workflowId);
}

/**
 * Sends event `name` to run `runId` (first signal of a name wins): `{ delivered: true }`, or
 * `{ delivered: false, reason }` with `no-such-run`, `run-ended` or `already-signalled`, nothing
 * written for the first two. See {@link WorkflowClient.signalWorkflowRun}.
 */
export function signalWorkflowRun(runId: string, name: string, payload?: JsonValue): Promise<WorkflowSignalResult> {
  return client().signalWorkflowRun(runId, name, payload);
}

/** Stops run `runId` at its next step boundary or resume. See {@link WorkflowClient.cancelWorkflowRun}. */
export function cancelWorkflowRun(runId: string): Promise<{ found: boolean }> {
  return client().cancelWorkflowRun(runId);
}

/** The journal of run `runId`, or `null`. See {@link WorkflowClient.getWorkflowRun}. */
export function getWorkflowRun(runId: string): Promise<WorkflowRunRecord | null> {
  return client().getWorkflowRun(runId);
}
