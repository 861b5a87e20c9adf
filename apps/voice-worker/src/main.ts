// Entry point of the voice worker: the kit's app skeleton (voice-worker-app) around
// create-voice-app (Vapi client, call records, the webhook receiver). Nothing below this file
// reads the environment.
import { voiceWorkerApp } from './voice-worker-app';

void voiceWorkerApp.main();
