import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';

/**
 * A validator of the Compose Specification's JSON schema (draft-07), as shipped by the `dclint`
 * package (schemas/compose.schema.json, kept in step with the specification by its authors;
 * not in the package's exports, so read by path).
 * @returns a function giving the schema's errors for a parsed Compose file, `[]` when valid.
 */
export function composeSchemaValidator(): (doc: unknown) => ErrorObject[] {
  const path = join(dirname(require.resolve('dclint')), '../schemas/compose.schema.json');
  // Ajv 8 knows draft-07 as http://json-schema.org/draft-07/schema; the file names the https
  // form, so the $schema key is dropped and Ajv's default (draft-07) applies. The schema uses
  // union types (`"type": ["boolean", "string"]`) and keywords without a type beside them.
  const { $schema: _draft, ...schema } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const validate = new Ajv({ allErrors: true, allowUnionTypes: true, strictTypes: false }).compile(schema);
  return (doc) => (validate(doc) ? [] : [...(validate.errors ?? [])]);
}
