/**
 * The processing the policy serves, as GDPR art. 30 asks to register it: purposes, data subjects,
 * recipients, retention. Part of the one policy declaration (policy.ts imports it): the retention
 * job reads its periods, the export states them, and the generated documents print them.
 */
import type { Purpose } from '../../platform/auth/audiences';

export const CONTROLLER = {
  name: 'Mijande (woningcorporatie)',
  /** The statement's "Contact": questions about privacy go to this address, for the privacy officer. */
  contact: 'mail@mijande.nl, onder vermelding van "Privacy" en/of t.a.v. de Privacy Officer',
  privacyOfficer: 'de Privacy Officer van Mijande (mail@mijande.nl)',
} as const;

export interface PurposeDeclaration {
  description: string;
  /** The line of the privacy statement it comes from (Dutch, verbatim). */
  statement: string;
  legalBasis: string;
  /**
   * Set where the purpose rests on legitimate interest (art. 6(1)(f)): the tenant may object to it
   * (art. 21(1)), and an upheld objection closes the purpose's row scopes to that tenant.
   */
  legitimateInterest?: true;
  /** The same in Dutch, for the register the Autoriteit Persoonsgegevens reads. */
  nl: { description: string; legalBasis: string };
}

export const PURPOSE_DECLARATIONS: Record<Purpose, PurposeDeclaration> = {
  REPAIRS: {
    description: 'Handle repair requests and maintenance',
    statement: 'uw reparatieverzoek in behandeling te nemen',
    legalBasis: 'Performance of the rental contract (art. 6(1)(b))',
    nl: { description: 'Reparatieverzoeken en onderhoud afhandelen', legalBasis: 'Uitvoering van de huurovereenkomst (art. 6 lid 1 sub b AVG)' },
  },
  CONTRACT: {
    description: 'Change the rental contract',
    statement: 'uw huurcontract te kunnen wijzigen',
    legalBasis: 'Performance of the rental contract (art. 6(1)(b))',
    nl: { description: 'Het huurcontract aangaan, wijzigen en beëindigen', legalBasis: 'Uitvoering van de huurovereenkomst (art. 6 lid 1 sub b AVG)' },
  },
  LETTING: {
    description: 'Show the housing offer, re-let dwellings, register home seekers',
    statement: 'u ons woningaanbod te laten zien',
    legalBasis: 'Steps at the request of the data subject before a contract (art. 6(1)(b)); allocation rules (art. 6(1)(c))',
    nl: { description: 'Het woningaanbod tonen, woningen opnieuw verhuren, woningzoekenden inschrijven', legalBasis: 'Maatregelen op verzoek van de betrokkene vóór een overeenkomst (art. 6 lid 1 sub b AVG); toewijzingsregels uit de Huisvestingswet (art. 6 lid 1 sub c AVG)' },
  },
  RENT_COLLECTION: {
    description: 'Collect rent by direct debit; invoices',
    statement: 'uw huur via automatische incasso te laten lopen',
    legalBasis: 'Performance of the rental contract (art. 6(1)(b)); fiscal record keeping (art. 6(1)(c))',
    nl: { description: 'Huur innen via automatische incasso; facturen', legalBasis: 'Uitvoering van de huurovereenkomst (art. 6 lid 1 sub b AVG); fiscale bewaarplicht (art. 6 lid 1 sub c AVG)' },
  },
  ARREARS: {
    description: 'Keep track of rent arrears, up to handing a case to a bailiff',
    statement: 'huurachterstanden … in beeld te krijgen',
    legalBasis: 'Legitimate interest in collecting rent owed (art. 6(1)(f))',
    legitimateInterest: true,
    nl: { description: 'Huurachterstanden in beeld brengen, tot overdracht aan een deurwaarder', legalBasis: 'Gerechtvaardigd belang bij het innen van verschuldigde huur (art. 6 lid 1 sub f AVG); bezwaar mogelijk (art. 21 AVG)' },
  },
  NUISANCE: {
    description: 'Handle nuisance cases',
    statement: 'gevallen van overlast in beeld te krijgen',
    legalBasis: 'Legal obligation to provide quiet enjoyment (art. 6(1)(c)); legitimate interest (art. 6(1)(f))',
    legitimateInterest: true,
    nl: { description: 'Gevallen van overlast behandelen', legalBasis: 'Wettelijke plicht tot het verschaffen van rustig woongenot (art. 6 lid 1 sub c AVG); gerechtvaardigd belang (art. 6 lid 1 sub f AVG); bezwaar mogelijk (art. 21 AVG)' },
  },
  PRIVACY: {
    description: 'The privacy officer: data subject requests, disclosures by legal obligation, audit',
    statement: 'Worden we wettelijk gedwongen om uw persoonsgegevens vrij te geven aan een andere partij? Dan informeren wij u daarover.',
    legalBasis: 'Legal obligation (art. 6(1)(c); arts. 12–22, 30)',
    nl: { description: 'De privacy officer: verzoeken van betrokkenen, verstrekkingen op grond van een wettelijke plicht, het auditlog', legalBasis: 'Wettelijke verplichting (art. 6 lid 1 sub c AVG; art. 12–22 en 30 AVG)' },
  },
};

/** The purposes a tenant may object to (art. 21(1)): those resting on legitimate interest. */
export const OBJECTABLE_PURPOSES: readonly Purpose[] = (Object.keys(PURPOSE_DECLARATIONS) as Purpose[])
  .filter((p) => PURPOSE_DECLARATIONS[p].legitimateInterest);

/** Where a data subject may complain (art. 77): named in every refusal and in the export. */
export const SUPERVISORY_AUTHORITY = {
  name: 'Autoriteit Persoonsgegevens',
  url: 'https://autoriteitpersoonsgegevens.nl',
  nl: 'U heeft het recht een klacht in te dienen bij de Autoriteit Persoonsgegevens (autoriteitpersoonsgegevens.nl) en om naar de rechter te stappen (art. 77 en 79 AVG).',
  en: 'You have the right to lodge a complaint with the Autoriteit Persoonsgegevens (autoriteitpersoonsgegevens.nl) and to seek a judicial remedy (GDPR arts. 77, 79).',
} as const;

/**
 * Processing that serves no staff purpose of the API but is the corporation's all the same: the
 * register lists it with the purposes (art. 30(1)(b)).
 */
export const OTHER_PROCESSING = [
  {
    name: 'Website en MijnMijande: analytische cookies',
    description: 'Meten welke pagina\'s worden bezocht om de website en de dienstverlening te verbeteren; alleen met toestemming, die de huurder in MijnMijande geeft en intrekt',
    legalBasis: 'Toestemming (art. 6 lid 1 sub a AVG; art. 11.7a Telecommunicatiewet)',
    subjects: 'Bezoekers van de website, huurders met een account',
    data: 'IP-adres, bezochte pagina\'s, de gegeven of ingetrokken toestemming met tijdstip en versie van het privacy statement',
    retention: 'Toestemming: zolang het account bestaat; meetgegevens worden niet aan personen gekoppeld',
  },
  {
    name: 'Gebruikersaccount MijnMijande',
    description: 'Inloggen op MijnMijande en de apps; de huurder ziet en corrigeert er de eigen gegevens, betaalt facturen en oefent de rechten uit',
    legalBasis: 'Uitvoering van de huurovereenkomst (art. 6 lid 1 sub b AVG)',
    subjects: 'Huurders, woningzoekenden',
    data: 'Accountgegevens (inlognaam bij de identity provider), contactgegevens',
    retention: 'Zolang de inschrijving of het huurcontract loopt, daarna als de overige gegevens van de huurder',
  },
  {
    name: 'Auditlog van inzage',
    description: 'Vastleggen wie welke persoonsgegevens van wie heeft ingezien of gewijzigd, zodat de corporatie kan aantonen dat zij dit privacy statement naleeft, en de huurder kan zien wie zijn gegevens inzag',
    legalBasis: 'Wettelijke verplichting: verantwoordingsplicht en beveiliging (art. 5 lid 2, 24 en 32 AVG; art. 6 lid 1 sub c AVG)',
    subjects: 'Huurders, woningzoekenden en voormalige huurders over wie wordt gelezen; medewerkers en externe gebruikers (aannemers, bouwbedrijven, deurwaarders) wier gebruikersnummer het log bevat',
    data: 'Gebruikersnummer (sub), rol, doel, organisatie, operatie, tijdstip, welke velden en welke huurders — nooit de waarden zelf',
    retention: 'Als bewijs van rechtmatige verwerking; niet te wijzigen en met een sleutel geketend',
  },
] as const;

/** The categories of data subjects, as the register names them (art. 30(1)(c)). */
export const DATA_SUBJECTS_NL = [
  { kind: 'Huurders', description: 'Mensen die een woning huren (status ACTIVE)' },
  { kind: 'Woningzoekenden', description: 'Ingeschreven mensen die een woning zoeken (status HOME_SEEKER)' },
  { kind: 'Voormalige huurders', description: 'Afgemelde huurders (status FORMER), tot hun gegevens zijn geanonimiseerd' },
  { kind: 'Gezinsleden', description: 'Alleen als aantal (huishoudgrootte); er worden geen gegevens per gezinslid vastgelegd' },
  { kind: 'Melders van overlast', description: 'Huurders die overlast melden; nooit zichtbaar voor degene over wie wordt gemeld' },
  { kind: 'Medewerkers', description: 'Hun gebruikersnummer, rol en doel staan in het auditlog bij elke inzage' },
  { kind: 'Externe gebruikers', description: 'Medewerkers van aannemers, bouwbedrijven en deurwaarders; hun gebruikersnummer en organisatie staan in het auditlog' },
] as const;

/**
 * Who outside the corporation receives personal data, under which purpose, and as what (art. 30(1)(d)):
 * a processor works on the corporation's instructions (art. 28, a processing agreement); a
 * controller decides for itself what it does with what it receives. `disclosureKind` is how a
 * disclosure to it is recorded; `holdsCopy`: it keeps what it received (a bailiff's file, an
 * authority's), so a rectification, erasure or restriction is told to it (art. 19). The others read
 * through this API, so a change reaches them on their next read.
 */
export const RECIPIENTS = [
  {
    recipient: 'Contractors', audience: 'contractor', disclosureKind: 'CONTRACTOR', holdsCopy: false, purpose: 'REPAIRS', when: 'while a work order assigned to them is open',
    nl: { recipient: 'Aannemers', role: 'verwerker (verwerkersovereenkomst)', when: 'zolang een aan hen toegewezen werkorder openstaat' },
  },
  {
    recipient: 'Builders', audience: 'builder', disclosureKind: 'BUILDER', holdsCopy: false, purpose: 'REPAIRS', when: 'while a renovation project of theirs runs',
    nl: { recipient: 'Bouwbedrijven', role: 'verwerker (verwerkersovereenkomst)', when: 'zolang een renovatieproject van hen loopt, voor de bewoners van de woningen erin' },
  },
  {
    recipient: 'Bailiffs', audience: 'bailiff', disclosureKind: 'BAILIFF', holdsCopy: true, purpose: 'ARREARS', when: 'when an arrears case cannot be solved with the tenant and is handed to them',
    nl: { recipient: 'Gerechtsdeurwaarders', role: 'zelfstandig verwerkingsverantwoordelijke', when: 'als een huurachterstand niet met de huurder kan worden opgelost en aan hen wordt overgedragen' },
  },
  {
    recipient: 'iDEAL payment provider', audience: null, disclosureKind: null, holdsCopy: false, purpose: 'RENT_COLLECTION', when: 'only the amount and an opaque reference; no personal data',
    nl: { recipient: 'Betaaldienstverlener (iDEAL)', role: 'zelfstandig verwerkingsverantwoordelijke', when: 'bij een betaling via MijnMijande: alleen het bedrag en een kenmerk dat niemand aanwijst' },
  },
  {
    recipient: 'Authorities', audience: null, disclosureKind: 'AUTHORITY', holdsCopy: true, purpose: 'PRIVACY', when: 'whatever the law obliges; recorded as a disclosure, the tenant told unless the law forbids it',
    nl: { recipient: 'Overheidsinstanties (Belastingdienst, gemeente, politie, justitie)', role: 'zelfstandig verwerkingsverantwoordelijke', when: 'wat de wet verplicht; vastgelegd als verstrekking, de huurder wordt geïnformeerd tenzij de wet dat verbiedt' },
  },
] as const;

/** The purpose a disclosure to a recipient of the apps serves, as the register declares it. */
export function recipientPurpose(audience: 'contractor' | 'builder' | 'bailiff'): Purpose {
  return RECIPIENTS.find((r) => r.audience === audience)!.purpose;
}

/** The disclosure kinds whose recipients keep a copy of what they received (art. 19). */
export const COPY_HOLDING_KINDS: readonly string[] = RECIPIENTS.flatMap((r) => (r.holdsCopy && r.disclosureKind ? [r.disclosureKind] : []));

export const TRANSFERS_OUTSIDE_EEA_NL = 'Geen. Persoonsgegevens worden niet doorgegeven aan landen buiten de Europese Economische Ruimte of aan internationale organisaties.';

/** The security measures (art. 30(1)(g), art. 32), as the register describes them. */
export const SECURITY_MEASURES_NL = [
  'Toegang per veld, per rol en per doel; alles wat niet uitdrukkelijk is toegestaan is dicht. Eén beleidsdeclaratie bepaalt velden, rijen, schrijfrechten, maskering, bewaartermijnen en deze documentatie',
  'Rijafbakening in de database-query zelf: een medewerker, aannemer, bouwbedrijf of deurwaarder ziet alleen de rijen van zijn doel; daarbuiten lijkt een rij niet te bestaan',
  'Medewerkers geven bij elk verzoek hun doel op; zonder doel zien zij geen persoonsgegevens',
  'Ondertekende tokens met een korte geldigheid (uitgever, publiek, vervaltijd en maximale levensduur gecontroleerd); aanmelden via de identity provider van de corporatie',
  'Elke inzage van persoonsgegevens wordt vastgelegd in een auditlog dat alleen kan groeien, met een sleutel geketend (HMAC) en met ondertekende controlepunten buiten de database; lukt het vastleggen niet, dan worden de gegevens niet getoond',
  'Beperking van de verwerking (art. 18) sluit de gegevens voor alle doelen behalve de privacy officer en de huurder zelf',
  'Anonimisering bij verwijdering en na de bewaartermijn met waarden die niet van het origineel zijn afgeleid',
  'Test- en demonstratieomgevingen gebruiken alleen synthetische of geanonimiseerde gegevens',
  'Antwoorden met persoonsgegevens worden niet gecachet (Cache-Control: no-store); foutmeldingen bevatten geen gegevens van anderen, geen stacktraces en geen SQL',
];
