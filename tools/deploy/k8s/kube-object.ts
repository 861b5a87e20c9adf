/**
 * One Kubernetes object as rendered by kustomize: the type and object metadata every kind has,
 * the rest left open (each check narrows what it reads).
 */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

/** `kind/name` of an object, as kubectl prints it, for messages. */
export function describeObject(o: Pick<KubeObject, 'kind' | 'metadata'>): string {
  return `${o.kind}/${o.metadata?.name ?? '(no name)'}`;
}
