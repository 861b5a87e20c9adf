/** A JSON value, as job data holds it in Redis. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object: string keys, {@link JsonValue} values. */
export type JsonObject = { [key: string]: JsonValue };
