import { dirname, join } from 'node:path';
import ts from 'typescript';
import { describeObject, type KubeObject } from './kube-object';

// The TypeScript interface of each kind the deployment uses, from the same packages as the
// schema check. Kubernetes' JSON schemas accept unknown fields (a misspelt optional field is
// silently dropped by the API server); TypeScript's excess-property check on an object literal
// does not, so each object is type-checked as a literal of its kind's interface.
const INTERFACES: Readonly<Record<string, { readonly from: string; readonly name: string }>> = {
  'v1/Namespace': { from: 'kubernetes-models/v1/Namespace', name: 'INamespace' },
  'v1/ConfigMap': { from: 'kubernetes-models/v1/ConfigMap', name: 'IConfigMap' },
  'v1/Service': { from: 'kubernetes-models/v1/Service', name: 'IService' },
  'apps/v1/Deployment': { from: 'kubernetes-models/apps/v1/Deployment', name: 'IDeployment' },
  'policy/v1/PodDisruptionBudget': { from: 'kubernetes-models/policy/v1/PodDisruptionBudget', name: 'IPodDisruptionBudget' },
  'keda.sh/v1alpha1/ScaledObject': { from: '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject', name: 'IScaledObject' },
};

/**
 * Finds fields that the interface of an object's kind does not have (typos such as
 * `readinesProbe` or `stabilizationWindowSecond`), and values of the wrong type, by compiling
 * the objects as TypeScript object literals of their kinds' interfaces.
 * @param objects - rendered objects; kinds without an interface here are reported as such.
 * @param resolveFrom - a directory whose node_modules hold kubernetes-models and
 * @kubernetes-models/keda (defaults to this file's).
 * @returns one line per error (`Deployment/seo-worker: Object literal may only specify known
 * properties, and 'readinesProbe' does not exist …`); empty when every field is known.
 */
export function unknownFieldErrors(objects: readonly KubeObject[], resolveFrom: string = __dirname): string[] {
  const errors: string[] = [];
  const imports: string[] = [];
  const lines: string[] = [];
  const owners: { firstLine: number; object: KubeObject }[] = [];
  objects.forEach((object, i) => {
    const key = `${object.apiVersion}/${object.kind}`;
    const iface = INTERFACES[key];
    if (!iface) {
      errors.push(`${describeObject(object)}: no TypeScript interface for ${key}`);
      return;
    }
    imports.push(`import type { ${iface.name} as T${i} } from '${iface.from}';`);
    owners.push({ firstLine: lines.length, object });
    lines.push(...`export const o${i}: T${i} = ${JSON.stringify(object, null, 1)};`.split('\n'));
  });
  if (owners.length === 0) return errors;

  const file = join(resolveFrom, `.k8s-objects-${process.pid}.ts`);
  const text = [...lines, ...imports].join('\n');
  const options: ts.CompilerOptions = { strict: true, noEmit: true, skipLibCheck: true, types: [], module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, target: ts.ScriptTarget.ES2022 };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  // The objects' file exists only in memory; everything else is read from disk.
  host.getSourceFile = (name, version, ...rest) => (name === file ? ts.createSourceFile(name, text, version) : getSourceFile.call(host, name, version, ...rest));
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  host.readFile = (name) => (name === file ? text : readFile.call(host, name));
  host.getCurrentDirectory = () => dirname(file);
  const program = ts.createProgram({ rootNames: [file], options, host });
  for (const d of [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()]) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (d.file?.fileName !== file || d.start === undefined) {
      errors.push(message);
      continue;
    }
    const line = d.file.getLineAndCharacterOfPosition(d.start).line;
    const owner = [...owners].reverse().find((o) => o.firstLine <= line);
    errors.push(`${owner ? describeObject(owner.object) : `line ${line + 1}`}: ${message}`);
  }
  return errors;
}
