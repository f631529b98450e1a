const MAX_EMAIL_LENGTH = 254;
/** One @, no spaces, a dot in the domain: the syntax check, not a mailbox check. */
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** The one form an email address is compared and stored in (trimmed, lower case), or null when it is not one. */
export function normalizedEmail(s: string): string | null {
  if (typeof s !== 'string') return null;
  const email = s.trim().toLowerCase();
  return email.length <= MAX_EMAIL_LENGTH && EMAIL.test(email) ? email : null;
}
