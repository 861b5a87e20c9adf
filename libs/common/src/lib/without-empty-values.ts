/**
 * The environment without its empty values: `FOO=` (as docker-compose and Kubernetes write an
 * unset optional variable) means "use the default", not "the empty string". Values of only
 * whitespace count as empty. Returns a new object; `env` is not changed.
 */
export function withoutEmptyValues<E extends Record<string, string | undefined>>(env: E): E {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== '')) as E;
}
