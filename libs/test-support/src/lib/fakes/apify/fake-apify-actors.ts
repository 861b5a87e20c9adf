import { fakeApifyId } from './fake-apify-ids';

/** A dataset item: any JSON object. */
export type FakeApifyItem = object;

/** What a test registers with `addActor`. */
export interface FakeApifyActorDefinition {
  /** The actor's work: the dataset items for `input` (the run's parsed JSON body; `undefined` when empty). A throw makes the run FAILED with the error's message. */
  readonly run: (input: unknown) => readonly FakeApifyItem[] | Promise<readonly FakeApifyItem[]>;
  /** How long a run takes, ms; default 50. Items appear in the dataset evenly over this time. */
  readonly durationMs?: number;
  /** A message makes the run FAILED with that `statusMessage` after `durationMs`, pushing nothing; `null` lets it run. */
  readonly fail?: (input: unknown) => string | null;
  /** The actor's default run timeout, seconds (the `timeout` query overrides it); default 3600. */
  readonly timeoutSecs?: number;
  /** The actor's default memory, MB (the `memory` query overrides it); default 1024. */
  readonly memoryMbytes?: number;
}

/** A registered actor, with the identity Apify would give it. */
export interface FakeApifyActor {
  /** The id the test registered it under: `username~name`, `username/name` or a plain id. */
  readonly key: string;
  /** Apify's actor id: the key when it is a plain id, else a random 17-character id. */
  readonly id: string;
  /** The owner's username: the key's part before `~`/`/`, else the server's username. */
  readonly username: string;
  /** The key's part after `~`/`/`, else the whole key. */
  readonly name: string;
  readonly createdAt: Date;
  readonly run: FakeApifyActorDefinition['run'];
  readonly fail: FakeApifyActorDefinition['fail'];
  /** Resolved defaults: 50 ms, 3600 s, 1024 MB. */
  readonly durationMs: number;
  readonly timeoutSecs: number;
  readonly memoryMbytes: number;
}

/**
 * The registered actors, found the ways Apify's URLs name them: by id, `username~name` (the
 * client turns `username/name` into this) or `~name` (the token owner's actor).
 */
export class FakeApifyActors {
  readonly #actors: FakeApifyActor[] = [];

  constructor(private readonly defaultUsername: string) {}

  /** Registers (or replaces) the actor under `key`. */
  add(key: string, definition: FakeApifyActorDefinition): FakeApifyActor {
    const [username, name] = splitKey(key, this.defaultUsername);
    const durationMs = definition.durationMs ?? 50;
    if (!(durationMs >= 0)) throw new Error(`durationMs must be >= 0, got ${durationMs}`);
    const actor: FakeApifyActor = {
      key,
      id: /[~/]/.test(key) ? fakeApifyId() : key,
      username,
      name,
      createdAt: new Date(),
      run: definition.run,
      fail: definition.fail,
      durationMs,
      timeoutSecs: definition.timeoutSecs ?? 3600,
      memoryMbytes: definition.memoryMbytes ?? 1024,
    };
    const existing = this.#actors.findIndex((a) => a.key === key);
    if (existing >= 0) this.#actors.splice(existing, 1, actor);
    else this.#actors.push(actor);
    return actor;
  }

  /** The actor a URL segment (decoded) or a registration key names, or `undefined`. */
  find(ref: string): FakeApifyActor | undefined {
    const tilde = ref.replace('/', '~');
    // `~name` is Apify's "my actor called name", i.e. the token owner's.
    const own = tilde.startsWith('~') ? `${this.defaultUsername}${tilde}` : tilde;
    return this.#actors.find((a) => a.key === ref || a.id === ref || `${a.username}~${a.name}` === own);
  }
}

function splitKey(key: string, defaultUsername: string): [string, string] {
  const match = /^([^~/]*)[~/](.+)$/.exec(key);
  if (!match) return [defaultUsername, key];
  return [match[1] || defaultUsername, match[2]];
}
