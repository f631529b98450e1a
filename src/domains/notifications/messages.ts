/**
 * The tenant's inbox texts (Dutch). They name kinds of data and who received them, never a value
 * (no amount, no address): the tenant knows their own data, and an inbox is read on many screens.
 */
import { fieldLabels } from '../../privacy/policy/field-labels';
import { SUPERVISORY_AUTHORITY } from '../../privacy/policy/processing';
import type { AnnouncementSubject } from './announcement.input';

const DATE = new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' });

export function dutchDate(at: Date): string {
  return DATE.format(at);
}

export function bailiffHandoverMessage(bailiffName: string, fields: readonly string[], at: Date): string {
  return (
    `Uw huurachterstand is op ${dutchDate(at)} overgedragen aan deurwaarder ${bailiffName}. ` +
    `Wij hebben daarvoor deze gegevens verstrekt: ${fieldLabels(fields).join(', ')}. ` +
    'Neem contact op met de deurwaarder om een betalingsregeling te treffen.'
  );
}

export function legalDisclosureMessage(recipientName: string, legalBasis: string, fields: readonly string[], at: Date): string {
  return (
    `Op ${dutchDate(at)} hebben wij op grond van een wettelijke verplichting (${legalBasis}) gegevens over u verstrekt aan ` +
    `${recipientName}: ${fieldLabels(fields).join(', ')}.`
  );
}

export function privacyStatementChangedMessage(version: number): string {
  return (
    `Wij hebben onze privacyverklaring gewijzigd (versie ${version}). ` +
    'Lees de nieuwe versie in MijnMijande of op onze website.'
  );
}

/** A withheld disclosure whose legal reason ended: the tenant is told now what was disclosed then. */
export function releasedDisclosureMessage(recipientName: string, fields: readonly string[], disclosedAt: Date): string {
  return (
    `Op ${dutchDate(disclosedAt)} hebben wij op grond van een wettelijke verplichting gegevens over u verstrekt aan ${recipientName}: ` +
    `${fieldLabels(fields).join(', ')}. De wettelijke reden om u dat niet te vertellen is vervallen; daarom informeren wij u nu.`
  );
}

/** Art. 18(3): the tenant is told before the restriction is lifted. */
export function restrictionLiftedMessage(): string {
  return (
    'De beperking van de verwerking van uw gegevens (art. 18 AVG) wordt opgeheven. Daarna verwerken wij uw gegevens weer ' +
    `voor de doelen in onze privacyverklaring. ${SUPERVISORY_AUTHORITY.nl}`
  );
}

const ANNOUNCEMENT_INTROS: Record<AnnouncementSubject, (party: string) => string> = {
  MERGER: (party) => `Mijande is betrokken bij een fusie, overname of verkoop van activa met ${party}. Wij houden ons daarbij aan onze privacyverklaring.`,
  TRANSFER: (party) => `Wij dragen persoonsgegevens over aan ${party}.`,
  OTHER_STATEMENT: (party) => `Voor uw persoonsgegevens gaat een ander privacy statement gelden: dat van ${party}.`,
};

/** A merger, a transfer or another statement coming to apply, with the privacy officer's explanation. */
export function announcementMessage(subject: AnnouncementSubject, party: string, details: string): string {
  return `${ANNOUNCEMENT_INTROS[subject](party)} ${details}`;
}
