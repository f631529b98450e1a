/**
 * IBAN (ISO 13616) validation and Dutch IBAN construction.
 * Strict on purpose: this also validates user input. Spaces are ignored (the printed
 * groups of four), everything else must already be canonical: uppercase letters, digits.
 */

/** Length per country, from the SWIFT IBAN registry. */
const LENGTHS: Readonly<Record<string, number>> = Object.fromEntries(
  (
    'AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 DO28 ' +
    'EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 IE22 IL23 IQ23 IS26 ' +
    'IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 ' +
    'NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 ' +
    'SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30'
  )
    .split(' ')
    .map((entry) => [entry.slice(0, 2), Number(entry.slice(2))]),
);

const SHAPE = /^[A-Z]{2}[0-9]{2}[A-Z0-9]+$/;
const DUTCH = /^NL[0-9]{2}[A-Z]{4}[0-9]{10}$/;

/** The remainder mod 97 of the number that the string spells, letters counting as 10..35. */
function mod97(s: string): number {
  let r = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    r = c <= 57 ? (r * 10 + (c - 48)) % 97 : (r * 100 + (c - 55)) % 97;
  }
  return r;
}

export function isValidIban(iban: string): boolean {
  if (typeof iban !== 'string') return false;
  const s = iban.replace(/ /g, '');
  if (!SHAPE.test(s) || LENGTHS[s.slice(0, 2)] !== s.length) return false;
  if (s.startsWith('NL') && !DUTCH.test(s)) return false;
  const check = s.slice(2, 4);
  if (check === '00' || check === '01' || check === '99') return false;
  return mod97(s.slice(4) + s.slice(0, 4)) === 1;
}

/** The one form an IBAN is compared and stored in (no spaces, upper case), or null when it is not a valid IBAN. */
export function normalizedIban(s: string): string | null {
  if (typeof s !== 'string') return null;
  const iban = s.replace(/\s+/g, '').toUpperCase();
  return isValidIban(iban) ? iban : null;
}

/** `NLkkBBBB0123456789` (no spaces) for a four-letter bank code and a ten-digit account number. */
export function dutchIban(bankCode: string, account10digits: string): string {
  if (!/^[A-Z]{4}$/.test(bankCode)) throw new RangeError('bank code must be four uppercase letters');
  if (!/^[0-9]{10}$/.test(account10digits)) throw new RangeError('account number must be ten digits');
  const bban = bankCode + account10digits;
  const check = 98 - mod97(bban + 'NL00');
  return `NL${String(check).padStart(2, '0')}${bban}`;
}
