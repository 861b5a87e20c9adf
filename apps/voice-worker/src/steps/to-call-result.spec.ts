import type { VapiCall } from '../lib/vapi-calls';
import { toCallResult } from './to-call-result';

const ended: VapiCall = {
  id: 'vapi-1',
  status: 'ended',
  endedReason: null,
  createdAt: '2026-01-01T10:00:00.000Z',
  startedAt: null,
  endedAt: null,
  cost: null,
  transcript: null,
  summary: null,
  recordingUrl: null,
  metadata: {},
  concurrencyBlocked: false,
};

describe('toCallResult', () => {
  it('fills what the call left out from the end-of-call report', () => {
    const report = {
      endedReason: 'customer-ended-call',
      artifact: { transcript: 'AI: hello', recordingUrl: 'https://rec/1.wav' },
      analysis: { summary: 'said hello' },
      startedAt: '2026-01-01T10:00:05.000Z',
      endedAt: '2026-01-01T10:01:35.000Z',
      cost: 0.2,
    };
    expect(toCallResult(ended, report)).toEqual({
      vapiCallId: 'vapi-1',
      status: 'ended',
      endedReason: 'customer-ended-call',
      durationSeconds: 90,
      cost: 0.2,
      transcript: 'AI: hello',
      summary: 'said hello',
      recordingUrl: 'https://rec/1.wav',
    });
  });

  it('prefers what Vapi\'s call says, and gives null for what nobody knows', () => {
    const call = { ...ended, endedReason: 'customer-busy', cost: 0.01, startedAt: '2026-01-01T10:00:00.000Z', endedAt: '2026-01-01T10:00:02.500Z' };
    expect(toCallResult(call, { endedReason: 'other', cost: 9 })).toMatchObject({ endedReason: 'customer-busy', cost: 0.01, durationSeconds: 2.5 });
    expect(toCallResult(ended, null)).toMatchObject({ endedReason: null, durationSeconds: null, cost: null, transcript: null, summary: null, recordingUrl: null });
  });
});
