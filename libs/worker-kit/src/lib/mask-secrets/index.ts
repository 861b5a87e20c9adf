export * from './secret-mask';
export * from './is-secret-key-name';
export * from './mask-secrets-in-text';
export * from './mask-secrets';
