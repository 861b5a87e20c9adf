import * as keda from '@kubernetes-models/keda/keda.sh/v1alpha1';
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as autoscalingV2 from 'kubernetes-models/autoscaling/v2';
import * as policyV1 from 'kubernetes-models/policy/v1';
import * as coreV1 from 'kubernetes-models/v1';
import { describeObject, type KubeObject } from './kube-object';

type ModelClass = new (data: never) => { validate(): void };

// The API groups the deployment uses, by apiVersion. kubernetes-models 4.x carries Kubernetes'
// OpenAPI schemas (and @kubernetes-models/keda 0.4.x KEDA's CRD schema) as compiled validators.
const MODELS_BY_API_VERSION: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  v1: coreV1,
  'apps/v1': appsV1,
  'policy/v1': policyV1,
  'autoscaling/v2': autoscalingV2,
  'keda.sh/v1alpha1': keda,
};

/**
 * Validates one object against the schema of its apiVersion and kind: types, required fields,
 * enums, formats. Kubernetes' schemas allow unknown fields, so a misspelt optional field passes
 * here; the semantic checks (deployment-checks.ts) read the fields that matter.
 * @returns one line per violation (`Deployment/seo-worker: data/spec/… must be integer`); empty
 * when valid. An apiVersion or kind with no schema here is a violation.
 */
export function schemaErrors(object: KubeObject): string[] {
  const group = MODELS_BY_API_VERSION[object.apiVersion];
  const Model = group?.[object.kind] as ModelClass | undefined;
  if (typeof Model !== 'function') return [`${describeObject(object)}: no schema for ${object.apiVersion} ${object.kind}`];
  try {
    new Model(object as never).validate();
    return [];
  } catch (error) {
    return [`${describeObject(object)}: ${error instanceof Error ? error.message : String(error)}`];
  }
}
