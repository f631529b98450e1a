/**
 * What an anonymised copy writes in place of each personal value, by the field's data category:
 * values that look real (Dutch names, valid Dutch IBANs and phone numbers, plausible texts), so the
 * copy still serves the apps, and that are drawn at random, never derived from the value replaced.
 * @faker-js/faker gives names, streets, cities, companies and dates in its `nl` locale; the free
 * texts come from the short lists below, since faker has no repair requests or nuisance reports.
 */
import { fakerNL as faker } from '@faker-js/faker';
import { isValidIban } from '../../platform/values/iban';

const REPAIR_REQUESTS = [
  'Lekkende kraan in de keuken', 'CV-ketel geeft storing', 'Radiator in de slaapkamer wordt niet warm', 'Toilet blijft doorlopen',
  'Afvoer van de douche is verstopt', 'Stopcontact in de woonkamer werkt niet', 'Rookmelder in de gang piept', 'Dakgoot loopt over',
  'Voordeur sluit niet goed', 'Raam in de slaapkamer klemt', 'Schimmel op het plafond van de badkamer', 'Trapleuning zit los',
];
const REPAIR_REMARKS = ['', '', ' Graag in de ochtend langskomen.', ' Bereikbaar na 17:00 uur.', ' Speelt al een paar weken.'];
const NUISANCE_REPORTS = [
  'Geluidsoverlast na 23:00 uur', 'Harde muziek in het weekend', 'Vuilniszakken in het trappenhuis', 'Fietsen in de gemeenschappelijke gang',
  'Stankoverlast op het balkon', 'Klussen en boren op zondag', 'Ruzie over de erfafscheiding',
];
const NOTIFICATIONS = [
  'Uw verzoek is afgehandeld. U vindt de uitkomst in MijnMijande.',
  'Wij hebben gegevens verstrekt op grond van een wettelijke verplichting.',
  'Uw dossier over de huurachterstand is overgedragen aan de deurwaarder.',
  'Er is een nieuwe versie van onze privacyverklaring.',
];
const WITHHELD_REASONS = [
  'Geheimhouding bij een lopend onderzoek (art. 41 lid 1 UAVG).',
  'Informeren zou de uitvoering van een wettelijke taak schaden (art. 23 AVG).',
];
const REQUEST_OUTCOMES = [
  'Overzicht van alle gegevens verstrekt via MijnMijande.', 'Gegevens gecorrigeerd.', 'Verwerking beperkt (art. 18 AVG).',
  'Gegevens verwijderd voor zover niet nodig voor de fiscale bewaarplicht.',
];

/** Draws replacements; values a unique index covers (email, phone, IBAN) are never drawn twice. */
export class Replacements {
  private readonly used = new Set<string>();

  /** A replacement for a value of the category (for a column that is one part of the field, by `part`), or undefined when the category has none. */
  draw(category: string, part?: string, value?: unknown): unknown {
    const draw = DRAWS[category];
    return draw ? draw(this, part, value) : undefined;
  }

  private readonly same = new Map<string, string>();

  /** The same replacement for the same source value, wherever it occurs (a recipient's name in its organisation and its disclosures). */
  sameFor(value: unknown, draw: () => string): string {
    const key = String(value);
    let replaced = this.same.get(key);
    if (replaced === undefined) {
      // Never the source value itself, should a draw happen to be it.
      const other = () => {
        for (;;) {
          const value = draw();
          if (value !== key) return value;
        }
      };
      this.same.set(key, (replaced = this.unique(other)));
    }
    return replaced;
  }

  static knows(category: string): boolean {
    return category in DRAWS;
  }

  unique(draw: () => string): string {
    for (;;) {
      const value = draw();
      if (!this.used.has(value)) {
        this.used.add(value);
        return value;
      }
    }
  }
}

const pick = <T>(values: readonly T[]): T => faker.helpers.arrayElement(values);
const digits = (n: number) => faker.string.numeric({ length: n, allowLeadingZeros: true });

function dutchIban(): string {
  for (;;) {
    const iban = faker.finance.iban({ formatted: false, countryCode: 'NL' });
    if (isValidIban(iban)) return iban;
  }
}

/** A Dutch postal code as the dwelling table's CHECK has it: four digits, not starting with 0, two letters. */
const postalCode = () => `${faker.string.numeric({ length: 1, exclude: ['0'] })}${digits(3)} ${faker.string.alpha({ length: 2, casing: 'upper' })}`;

const ADDRESS_PARTS: Record<string, () => string> = {
  street: () => faker.location.street(),
  houseNumber: () => String(faker.number.int({ min: 1, max: 250 })),
  postalCode,
  city: () => faker.location.city(),
};

const DRAWS: Record<string, (r: Replacements, part?: string, value?: unknown) => unknown> = {
  'user.name.first': () => faker.person.firstName(),
  'user.name.last': () => faker.person.lastName(),
  'user.account.registration_date': () => faker.date.past({ years: 10 }).toISOString(),
  'user.demographic.date_of_birth': () => faker.date.birthdate({ mode: 'age', min: 18, max: 90 }).toISOString().slice(0, 10),
  'user.contact.email': (r) => r.unique(() => `${faker.internet.username().toLowerCase().replace(/[^a-z0-9._-]/g, '')}.${digits(4)}@example.nl`),
  'user.contact.phone_number': (r) => r.unique(() => `+316${digits(8)}`),
  'user.financial.bank_account': (r) => r.unique(dutchIban),
  'user.contact.address': (_r, part) => {
    const draw = part ? ADDRESS_PARTS[part] : undefined;
    if (!draw) throw new Error(`no replacement for address part ${part}`);
    return draw();
  },
  'user.content.repair_request': () => pick(REPAIR_REQUESTS) + pick(REPAIR_REMARKS),
  'user.behavior.nuisance': () => pick(NUISANCE_REPORTS),
  'user.content.notification': () => pick(NOTIFICATIONS),
  'user.content.recipient': (r, _part, value) => r.sameFor(value, () => faker.company.name()),
  'user.content.withheld_reason': () => pick(WITHHELD_REASONS),
  'user.content.request_outcome': () => pick(REQUEST_OUTCOMES),
};
