import { randomUUID } from 'node:crypto';

/** One entry of `artifact.messages` (Vapi's `SystemMessage`, `BotMessage`, `UserMessage`). Times in ms since the epoch; `secondsFromStart` in seconds; `duration` in ms. */
export interface FakeVapiMessage {
  readonly role: 'system' | 'bot' | 'user';
  readonly message: string;
  readonly time: number;
  readonly endTime?: number;
  readonly secondsFromStart: number;
  readonly duration?: number;
  readonly source?: string;
}

/** What a call has once it has ended: Vapi's `artifact`, `analysis`, `cost` (USD), `costBreakdown` and `costs`. */
export interface FakeVapiCallReport {
  /** USD. */
  readonly cost: number;
  /** USD per component, and token/character counts. */
  readonly costBreakdown: Readonly<{
    transport: number;
    stt: number;
    llm: number;
    tts: number;
    vapi: number;
    total: number;
    llmPromptTokens: number;
    llmCompletionTokens: number;
    ttsCharacters: number;
  }>;
  /** Vapi's `costs` items (`transport`, `transcriber`, `model`, `voice`, `vapi`). */
  readonly costs: ReadonlyArray<Readonly<Record<string, unknown>>>;
  readonly artifact: Readonly<{
    messages: readonly FakeVapiMessage[];
    messagesOpenAIFormatted: ReadonlyArray<Readonly<{ role: 'system' | 'assistant' | 'user'; content: string }>>;
    /** `AI: …` / `User: …` lines. */
    transcript?: string;
    recordingUrl?: string;
    stereoRecordingUrl?: string;
    recording?: Readonly<{ stereoUrl: string; mono: Readonly<{ combinedUrl: string; assistantUrl: string; customerUrl: string }> }>;
  }>;
  readonly analysis: Readonly<{ summary?: string; successEvaluation?: string }>;
  /** From `startedAt` to `endedAt`; 0 for a call that never went in progress. */
  readonly durationMs: number;
}

const SYSTEM_PROMPT = 'You are a friendly phone assistant. Confirm the appointment and keep it short.';

/** The scripted conversation of an answered call: who speaks, and what. */
const SCRIPT: ReadonlyArray<{ role: 'bot' | 'user'; message: string }> = [
  { role: 'bot', message: 'Hello, this is the assistant calling about your appointment. Is now a good time?' },
  { role: 'user', message: 'Yes, go ahead.' },
  { role: 'bot', message: 'Your appointment is tomorrow at 10 a.m. Does that still work for you?' },
  { role: 'user', message: 'Yes, that works. Thanks, bye.' },
  { role: 'bot', message: 'Thank you, goodbye!' },
];

// Per-minute and per-unit prices, USD: plausible magnitudes, not Vapi's price list.
const TRANSPORT_PER_MINUTE = 0.01;
const STT_PER_MINUTE = 0.01;
const LLM_PER_MINUTE = 0.02;
const TTS_PER_CHARACTER = 0.00003;
const VAPI_PER_MINUTE = 0.05;

const usd = (value: number): number => Math.round(value * 1e6) / 1e6;

/** The report of a call that never went in progress (busy, no answer, failed, blocked): no content, no cost. */
export function fakeVapiEmptyCallReport(): FakeVapiCallReport {
  return {
    cost: 0,
    costBreakdown: { transport: 0, stt: 0, llm: 0, tts: 0, vapi: 0, total: 0, llmPromptTokens: 0, llmCompletionTokens: 0, ttsCharacters: 0 },
    costs: [],
    artifact: { messages: [], messagesOpenAIFormatted: [] },
    analysis: {},
    durationMs: 0,
  };
}

/**
 * The report of an answered call that talked from `startedAtMs` to `endedAtMs`: the scripted
 * conversation spread over that time, its transcript, a summary naming the customer's number,
 * recording URLs in Vapi's storage shape (`https://storage.vapi.ai/<callId>-<ms>-<uuid>-mono.wav`;
 * nothing is served there), and costs proportional to the duration.
 */
export function fakeVapiAnsweredCallReport(call: { id: string; customerNumber: string; startedAtMs: number; endedAtMs: number }): FakeVapiCallReport {
  const durationMs = Math.max(0, call.endedAtMs - call.startedAtMs);
  const slotMs = durationMs / SCRIPT.length;
  const spoken: FakeVapiMessage[] = SCRIPT.map((line, i) => {
    const time = call.startedAtMs + Math.round(i * slotMs);
    const duration = Math.round(slotMs * 0.8);
    return { role: line.role, message: line.message, time, endTime: time + duration, secondsFromStart: (time - call.startedAtMs) / 1000, duration, ...(line.role === 'bot' ? { source: '' } : {}) };
  });
  const messages: FakeVapiMessage[] = [{ role: 'system', message: SYSTEM_PROMPT, time: call.startedAtMs, secondsFromStart: 0 }, ...spoken];
  const transcript = SCRIPT.map((line) => `${line.role === 'bot' ? 'AI' : 'User'}: ${line.message}`).join('\n');
  const recording = (kind: string): string => `https://storage.vapi.ai/${call.id}-${call.endedAtMs}-${randomUUID()}-${kind}.wav`;
  const recordingUrl = recording('mono');
  const stereoRecordingUrl = recording('stereo');

  const minutes = durationMs / 60_000;
  const ttsCharacters = SCRIPT.filter((l) => l.role === 'bot').reduce((sum, l) => sum + l.message.length, 0);
  const llmPromptTokens = 120 * SCRIPT.length;
  const llmCompletionTokens = Math.ceil(ttsCharacters / 4);
  const transport = usd(minutes * TRANSPORT_PER_MINUTE);
  const stt = usd(minutes * STT_PER_MINUTE);
  const llm = usd(minutes * LLM_PER_MINUTE);
  const tts = usd(ttsCharacters * TTS_PER_CHARACTER);
  const vapi = usd(minutes * VAPI_PER_MINUTE);
  const total = usd(transport + stt + llm + tts + vapi);
  return {
    cost: total,
    costBreakdown: { transport, stt, llm, tts, vapi, total, llmPromptTokens, llmCompletionTokens, ttsCharacters },
    costs: [
      { type: 'transport', provider: 'twilio', minutes, cost: transport },
      { type: 'transcriber', transcriber: { provider: 'deepgram', model: 'nova-2' }, minutes, cost: stt },
      { type: 'model', model: { provider: 'openai', model: 'gpt-4o' }, promptTokens: llmPromptTokens, completionTokens: llmCompletionTokens, cost: llm },
      { type: 'voice', voice: { provider: '11labs', voiceId: 'burt' }, characters: ttsCharacters, cost: tts },
      { type: 'vapi', subType: 'normal', minutes, cost: vapi },
    ],
    artifact: {
      messages,
      messagesOpenAIFormatted: [
        { role: 'system', content: SYSTEM_PROMPT },
        ...SCRIPT.map((line) => ({ role: line.role === 'bot' ? ('assistant' as const) : ('user' as const), content: line.message })),
      ],
      transcript,
      recordingUrl,
      stereoRecordingUrl,
      recording: { stereoUrl: stereoRecordingUrl, mono: { combinedUrl: recordingUrl, assistantUrl: recording('assistant'), customerUrl: recording('customer') } },
    },
    analysis: {
      summary: `The assistant called ${call.customerNumber} about an appointment; the customer confirmed it for tomorrow at 10 a.m. and ended the call.`,
      successEvaluation: 'true',
    },
    durationMs,
  };
}
