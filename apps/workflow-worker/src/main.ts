// Entry point of the workflow worker: the kit's app skeleton (workflow-worker-app) around
// create-workflow-app (the engine, its step kinds, the producers of child jobs). Nothing below
// this file reads the environment.
import { workflowWorkerApp } from './workflow-worker-app';

void workflowWorkerApp.main();
