import { AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace-base';
import type { TracesSamplerName } from './traces-sampler-name';

/**
 * The SDK sampler named by `OTEL_TRACES_SAMPLER` (see `TRACES_SAMPLER_NAMES`), with `ratio`
 * (`OTEL_TRACES_SAMPLER_ARG`, 0-1) for the ratio samplers. The `parentbased_` ones keep a job
 * whose producer's trace was sampled and drop one whose was not, whatever their own rule.
 */
export function tracesSampler(name: TracesSamplerName, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}
