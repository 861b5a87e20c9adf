/** kustomize refused a kustomization (its exit status was not 0); the message carries its stderr. */
export class KustomizeRenderError extends Error {
  override readonly name = 'KustomizeRenderError';

  /**
   * @param dir - the kustomization directory.
   * @param stderr - what kustomize printed on stderr.
   */
  constructor(
    readonly dir: string,
    readonly stderr: string,
  ) {
    super(`kustomize could not render ${dir}: ${stderr.trim()}`);
  }
}
