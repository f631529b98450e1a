/**
 * The tenant's inbox texts (Dutch). They name kinds of data and who received them, never a value
 * (no amount, no address): the tenant knows their own data, and an inbox is read on many screens.
 */
import { fieldLabels } from '../../privacy/policy/field-labels';

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
