// Generated object names (metadata.generateName) and hash encoding, as in apiserver's SimpleNameGenerator and
// k8s.io/apimachinery/pkg/util/rand.

/** Vowel-free so that random suffixes do not spell words; shared with safeEncodeString. */
const ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789";
const MAX_NAME_LENGTH = 63;
const RANDOM_LENGTH = 5;
/** The longest base kept before the random suffix, so generated names stay valid DNS labels. */
export const MAX_GENERATED_NAME_LENGTH = MAX_NAME_LENGTH - RANDOM_LENGTH;

/** Five random characters from upstream's alphabet; `random` returns [0, 1) like Math.random. */
export function generateNameSuffix(random: () => number = Math.random): string {
  let suffix = "";
  for (let i = 0; i < RANDOM_LENGTH; i++) {
    const index = Math.min(Math.floor(random() * ALPHANUMS.length), ALPHANUMS.length - 1);
    suffix += ALPHANUMS[index];
  }
  return suffix;
}

/** The name for an object created with metadata.generateName = `base`. */
export function generateName(base: string, random?: () => number): string {
  const kept = base.length > MAX_GENERATED_NAME_LENGTH ? base.slice(0, MAX_GENERATED_NAME_LENGTH) : base;
  return kept + generateNameSuffix(random);
}

/**
 * rand.SafeEncodeString: maps each character onto the same alphabet. Controllers use it to turn a numeric hash
 * into a label-safe string (e.g. the controller-revision-hash of DaemonSet revisions).
 */
export function safeEncodeString(s: string): string {
  let out = "";
  for (const ch of s) out += ALPHANUMS[ch.codePointAt(0)! % ALPHANUMS.length];
  return out;
}
