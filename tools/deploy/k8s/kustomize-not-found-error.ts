/**
 * No program on PATH renders a kustomization with kustomize v5 (the layout under docker/k8s uses
 * `replacements`, `labels` and targeted `patches`, which kustomize v2 — inside kubectl before
 * 1.21, such as Debian bookworm's `kubernetes-client` 1.20 — does not know). The message says
 * what to install.
 */
export class KustomizeNotFoundError extends Error {
  override readonly name = 'KustomizeNotFoundError';

  /** @param found - what was found instead (e.g. `kubectl with Kustomize v2.0.3`), if anything. */
  constructor(readonly found?: string) {
    super(
      'Rendering docker/k8s needs kustomize v5: `kubectl` 1.27 or later (its `kubectl kustomize`) or the `kustomize` v5 binary on PATH' +
        (found ? `; found only ${found}` : '; found neither') +
        '. Install one (e.g. `go install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0` with Go 1.22 or later), then run the spec again.',
    );
  }
}
