// Entry point of the email worker: the kit's app skeleton (email-worker-app) around the handlers
// of create-email-handlers (credentials, providers, output, stores). Nothing below this file
// reads the environment.
import { emailWorkerApp } from './email-worker-app';

void emailWorkerApp.main();
