/** One lead in the enrichment actor's input. */
export type FakeApifyLead = {
  readonly id: string;
  readonly email?: string;
  readonly company?: string;
  readonly phone?: string;
};

/** The enrichment actor's input: `{ leads: [...] }`. */
export type FakeApifyLeadEnrichmentInput = {
  readonly leads: readonly FakeApifyLead[];
};

/** A lead the actor found. */
export type FakeApifyEnrichedLead = {
  readonly leadId: string;
  readonly email: string;
  readonly fullName: string;
  readonly jobTitle: string;
  readonly company: string;
  readonly companyDomain: string;
  readonly linkedinUrl: string;
  /** Only when the lead had one: the lead's phone, as given. */
  readonly phone?: string;
};

/** A lead the actor could not look up (its email contains `error`). */
export type FakeApifyLeadEnrichmentError = {
  readonly leadId: string;
  readonly error: string;
};

/** One dataset item of the enrichment actor. */
export type FakeApifyLeadEnrichmentItem = FakeApifyEnrichedLead | FakeApifyLeadEnrichmentError;

/** Options of {@link leadEnrichmentActor}. */
export interface FakeApifyLeadEnrichmentOptions {
  /** Job titles to pick from (by a hash of the lead id); default a fixed list of eight. */
  readonly jobTitles?: readonly string[];
  /** Called with each run's input before the work, e.g. to record batch sizes. */
  readonly onInput?: (input: FakeApifyLeadEnrichmentInput) => void;
}

const DEFAULT_TITLES = ['Head of Sales', 'VP Marketing', 'Chief Executive Officer', 'Operations Manager', 'Founder', 'CTO', 'Account Executive', 'Procurement Lead'];
const FIRST_NAMES = ['Alex', 'Sam', 'Jordan', 'Taylor', 'Morgan', 'Casey', 'Robin', 'Jamie', 'Avery', 'Riley'];
const LAST_NAMES = ['Smith', 'Novak', 'Garcia', 'Kowalski', 'Chen', 'Dubois', 'Rossi', 'Jensen', 'Silva', 'Okafor'];

/**
 * A ready-made lead-enrichment actor for `server.addActor(id, { run: leadEnrichmentActor() })`.
 *
 * Input `{ leads: [{ id, email?, company?, phone? }] }`; output, in input order, one dataset
 * item per lead it "finds", deterministic from the lead (same input, same items):
 * - not found, no item: the email's domain or the company contains `unknown` (any case), or
 *   the lead has neither email nor company;
 * - `{ leadId, error }`: the email contains `error` (any case);
 * - otherwise `{ leadId, email, fullName, jobTitle, company, companyDomain, linkedinUrl, phone? }`:
 *   `companyDomain` is the email's domain, else the company slugged + `.com`; `company` is the
 *   lead's, else the domain's first label capitalised; `fullName` comes from a `first.last`
 *   email local part, else from name lists by a hash of the lead id; `email` is the lead's, else
 *   `first.last@companyDomain`; `jobTitle` is picked by the hash; `linkedinUrl` is
 *   `https://www.linkedin.com/in/first-last-<4 hex of the hash>`; `phone` only when given.
 *
 * @throws Error (so the run ends FAILED with this message) when the input has no `leads` array
 * or a lead has no string `id`.
 */
export function leadEnrichmentActor(options: FakeApifyLeadEnrichmentOptions = {}): (input: unknown) => FakeApifyLeadEnrichmentItem[] {
  const titles = options.jobTitles?.length ? options.jobTitles : DEFAULT_TITLES;
  return (input) => {
    const parsed = parseInput(input);
    options.onInput?.(parsed);
    return parsed.leads.flatMap((lead) => {
      const item = enrich(lead, titles);
      return item ? [item] : [];
    });
  };
}

function parseInput(input: unknown): FakeApifyLeadEnrichmentInput {
  const leads = (input as { leads?: unknown } | null | undefined)?.leads;
  if (!Array.isArray(leads)) throw new Error('Input must be an object with a "leads" array');
  for (const lead of leads) {
    if (typeof (lead as { id?: unknown } | null)?.id !== 'string') throw new Error('Every lead needs a string "id"');
  }
  return { leads: leads as FakeApifyLead[] };
}

function enrich(lead: FakeApifyLead, titles: readonly string[]): FakeApifyLeadEnrichmentItem | undefined {
  const email = lead.email?.trim().toLowerCase() || undefined;
  const emailDomain = email?.includes('@') ? email.slice(email.lastIndexOf('@') + 1) : undefined;
  const company = lead.company?.trim() || undefined;
  if (emailDomain?.includes('unknown') || company?.toLowerCase().includes('unknown') || (!email && !company)) return undefined;
  if (email?.includes('error')) return { leadId: lead.id, error: `Enrichment provider error for ${lead.email}` };

  const hash = fnv1a(lead.id);
  const companyDomain = emailDomain ?? `${slug(company ?? '') || 'company'}.com`;
  const [first, last] = nameFromEmail(email) ?? [FIRST_NAMES[hash % FIRST_NAMES.length], LAST_NAMES[(hash >>> 8) % LAST_NAMES.length]];
  const handle = `${first}-${last}`.toLowerCase();
  return {
    leadId: lead.id,
    email: email ?? `${first}.${last}@${companyDomain}`.toLowerCase(),
    fullName: `${first} ${last}`,
    jobTitle: titles[(hash >>> 16) % titles.length],
    company: company ?? capitalise(companyDomain.split('.')[0]),
    companyDomain,
    linkedinUrl: `https://www.linkedin.com/in/${handle}-${(hash & 0xffff).toString(16).padStart(4, '0')}`,
    ...(lead.phone ? { phone: lead.phone } : {}),
  };
}

/** `jane.doe@x` → `['Jane', 'Doe']`; `undefined` when the local part is not `first.last`. */
function nameFromEmail(email: string | undefined): [string, string] | undefined {
  const match = email ? /^([a-z]+)[._-]([a-z]+)@/.exec(email) : null;
  return match ? [capitalise(match[1]), capitalise(match[2])] : undefined;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** 32-bit FNV-1a: a stable hash, so the same lead always gets the same made-up details. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
