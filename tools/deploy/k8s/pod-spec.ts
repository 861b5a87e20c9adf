// The parts of a Deployment's pod template the checks read, as kustomize renders them.

/** An httpGet probe. `port` is a container port's name or number. */
export interface HttpProbe {
  readonly httpGet?: { readonly path?: string; readonly port?: string | number };
}

/** One environment variable: a literal `value` or a `valueFrom` reference. */
export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly secretKeyRef?: { readonly name: string; readonly key: string };
    readonly configMapKeyRef?: { readonly name: string; readonly key: string };
  };
}

/** A container's security settings (the pod's apply where the container sets none). */
export interface SecurityContext {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly capabilities?: { readonly drop?: readonly string[] };
}

/** One container of a pod template. */
export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly ports?: readonly { readonly name?: string; readonly containerPort: number }[];
  readonly env?: readonly EnvVar[];
  readonly readinessProbe?: HttpProbe;
  readonly livenessProbe?: HttpProbe;
  readonly securityContext?: SecurityContext;
  readonly resources?: {
    readonly requests?: Readonly<Record<string, string | number>>;
    readonly limits?: Readonly<Record<string, string | number>>;
  };
}

/** A Deployment's spec, as far as the checks read it. */
export interface DeploymentSpec {
  readonly replicas?: number;
  readonly selector?: { readonly matchLabels?: Readonly<Record<string, string>> };
  readonly template?: {
    readonly metadata?: { readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
    readonly spec?: {
      readonly terminationGracePeriodSeconds?: number;
      readonly securityContext?: SecurityContext;
      readonly containers?: readonly Container[];
    };
  };
}
