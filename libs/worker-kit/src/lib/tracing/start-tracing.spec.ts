import { startTracing } from './start-tracing';
import { TracesDestinationMissingError } from './traces-destination-missing-error';
import { tracingConfigFromEnv } from './tracing-config';

describe('startTracing', () => {
  it('refuses to start with nowhere to send spans, with a named error', () => {
    const config = { ...tracingConfigFromEnv({}), enabled: true };
    const log = { info: jest.fn(), warn: jest.fn(), error: jest.fn(), debug: jest.fn(), child: jest.fn() } as never;
    expect(config.tracesUrl).toBeUndefined();
    expect(() => startTracing({ config, serviceName: 'test', log, flushTimeoutMs: 1000 })).toThrow(TracesDestinationMissingError);
    expect(() => startTracing({ config, serviceName: 'test', log, flushTimeoutMs: 1000 })).toThrow(/no traces URL/);
  });
});
