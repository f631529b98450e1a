/** Word lists for synthetic Dutch demo data. Organisation names are invented. */

export const CONTRACTORS = [
  { name: 'Van Dijk Installatietechniek', trade: 'installatie' },
  { name: 'Bouwman Loodgieters & CV-service', trade: 'installatie' },
  { name: 'Jansen Elektrotechniek', trade: 'elektra' },
  { name: 'Hoekstra Dak- en Gevelwerken', trade: 'dak' },
  { name: 'De Vries Onderhoud B.V.', trade: 'timmer' },
  { name: 'Schilders- en Onderhoudsbedrijf Mulder', trade: 'timmer' },
] as const;

export const BUILDERS = [
  'Bouwbedrijf Van der Heijden B.V.',
  'Aannemersbedrijf De Groot & Zn.',
  'Bouwcombinatie Smit-Kuipers',
] as const;

export const BAILIFFS = [
  'Gerechtsdeurwaarderskantoor Visser & Bakker',
  'Meijer Gerechtsdeurwaarders',
  'Brouwer Dekker Gerechtsdeurwaarders en Incasso',
] as const;

export type Trade = (typeof CONTRACTORS)[number]['trade'];

export const REPAIRS: Readonly<Record<Trade, readonly string[]>> = {
  installatie: [
    'Lekkende kraan in de keuken',
    'CV-ketel geeft storing',
    'CV-ketel slaat steeds af, geen warm water',
    'Radiator in de slaapkamer wordt niet warm',
    'Toilet blijft doorlopen',
    'Afvoer van de douche is verstopt',
    'Riool stinkt in de badkamer',
    'Mechanische ventilatie maakt veel lawaai',
    'Lekkage onder het aanrecht',
    'Waterdruk van de CV-installatie zakt steeds',
  ],
  elektra: [
    'Stopcontact in de woonkamer werkt niet',
    'Aardlekschakelaar in de meterkast slaat af',
    'Rookmelder in de gang piept',
    'Intercom bij de voordeur werkt niet',
    'Buitenlamp bij de voordeur doet het niet',
    'Afzuigkap in de keuken werkt niet meer',
  ],
  dak: [
    'Lekkage bij het dakraam',
    'Dakgoot is verstopt en loopt over',
    'Dakpannen verschoven na de storm',
    'Vochtplek op de muur in de slaapkamer',
    'Scheur in het voegwerk van de achtergevel',
  ],
  timmer: [
    'Voordeur sluit niet goed',
    'Raam in de slaapkamer klemt',
    'Houtrot in het kozijn van de achtergevel',
    'Tochtstrip van de achterdeur is kapot',
    'Trapleuning zit los',
    'Keukenkastdeurtje hangt scheef',
    'Schimmel op het plafond van de badkamer',
    'Kitvoeg rond het bad laat los',
    'Slot van de bergingsdeur is kapot',
  ],
};

export const REPAIR_REMARKS = [
  '',
  '',
  '',
  ' Graag in de ochtend langskomen.',
  ' Ik ben bereikbaar na 17:00 uur.',
  ' Het probleem speelt al een paar weken.',
  ' Sleutel ligt bij de buren als ik niet thuis ben.',
];

export const NUISANCE = [
  'Geluidsoverlast na 23:00 uur',
  'Harde muziek in het weekend tot diep in de nacht',
  'Blaffende hond overdag als de bewoners niet thuis zijn',
  'Vuilniszakken in het trappenhuis',
  'Fietsen en rommel in de gemeenschappelijke gang',
  'Stankoverlast door sigarettenrook op het balkon',
  'Klussen en boren op zondag',
  'Overlast van bezoekers in het portiek in de nacht',
  'Ruzie over de erfafscheiding in de achtertuin',
  'Wietlucht in het trappenhuis',
];

/** Cities around Utrecht with the range of their four-digit postal code area. */
export const CITIES = [
  { name: 'Utrecht', from: 3511, to: 3585, weight: 8 },
  { name: 'Amersfoort', from: 3811, to: 3829, weight: 4 },
  { name: 'Nieuwegein', from: 3431, to: 3439, weight: 3 },
  { name: 'Zeist', from: 3701, to: 3709, weight: 2 },
  { name: 'Houten', from: 3991, to: 3995, weight: 2 },
  { name: 'IJsselstein', from: 3401, to: 3404, weight: 1 },
  { name: 'Veenendaal', from: 3901, to: 3907, weight: 2 },
  { name: 'Woerden', from: 3441, to: 3449, weight: 1 },
  { name: 'Maarssen', from: 3601, to: 3608, weight: 1 },
  { name: 'Bilthoven', from: 3721, to: 3723, weight: 1 },
] as const;

export const STREET_BASES = [
  'Merel', 'Lijster', 'Vink', 'Spreeuw', 'Kievit', 'Reiger', 'Zwaluw', 'Koolmees', 'Roodborst', 'Specht',
  'Fazant', 'Wielewaal', 'Nachtegaal', 'Leeuwerik', 'Havik', 'Valk', 'Zwanen', 'Ooievaar', 'Eiken', 'Beuken',
  'Linden', 'Kastanje', 'Berken', 'Populieren', 'Iepen', 'Esdoorn', 'Wilgen', 'Platanen', 'Acacia', 'Essen',
  'Elzen', 'Hazelaar', 'Meidoorn', 'Vlier', 'Lariks', 'Dennen', 'Tulp', 'Rozen', 'Narcis', 'Krokus',
  'Hyacint', 'Anjer', 'Iris', 'Lelie', 'Dahlia', 'Zonnebloem', 'Klaproos', 'Madelief', 'Boterbloem',
  'Korenbloem', 'Seringen', 'Jasmijn', 'Rembrandt', 'Vermeer', 'Frans Hals', 'Jan Steen', 'Mondriaan',
  'Van Gogh', 'Breitner', 'Vondel', 'Bredero', 'Multatuli', 'Hooft', 'Huygens', 'Erasmus', 'Spinoza',
  'Sweelinck', 'Mozart', 'Beethoven', 'Bach', 'Chopin', 'Schubert', 'Haydn', 'Juliana', 'Beatrix',
  'Wilhelmina', 'Emma', 'Oranje', 'Nassau', 'Prins Hendrik', 'Prinses Irene', 'Prinses Margriet', 'Kerk',
  'Molen', 'School', 'Dorps', 'Haven', 'Markt', 'Brink', 'Sluis', 'Polder', 'Tuin', 'Weide', 'Veld',
  'Akker', 'Bos', 'Heide', 'Zuider', 'Noorder', 'Ooster', 'Wester', 'Rijn', 'Vecht', 'Eem', 'Lek',
];

export const STREET_SUFFIXES = ['straat', 'straat', 'laan', 'laan', 'weg', 'plein', 'hof', 'singel', 'park'];

/** A–Z without F, I, O, Q, U, Y, which Dutch postal codes do not use. */
export const POSTAL_LETTERS = 'ABCDEGHJKLMNPRSTVWXZ';

export const BANK_CODES = ['ABNA', 'RABO', 'INGB', 'SNSB', 'ASNB', 'TRIO', 'KNAB', 'BUNQ'] as const;

export const EMAIL_DOMAINS = ['example.nl', 'example.nl', 'example.com', 'example.org'];

export const PROJECT_KINDS = [
  'Renovatie',
  'Verduurzaming',
  'Dak- en gevelrenovatie',
  'Isolatie en nieuwe kozijnen',
  'Groot onderhoud',
];

export const AUTHORITIES = [
  {
    name: 'Belastingdienst',
    fields: ['Tenant.firstName', 'Tenant.lastName', 'Tenant.dateOfBirth', 'Tenant.address', 'Lease.monthlyRent'],
    withheldReason: null,
  },
  {
    name: 'Gemeente Utrecht',
    fields: ['Tenant.firstName', 'Tenant.lastName', 'Tenant.address', 'Tenant.householdSize'],
    withheldReason: null,
  },
  {
    name: 'Politie Midden-Nederland',
    fields: ['Tenant.firstName', 'Tenant.lastName', 'Tenant.dateOfBirth', 'Tenant.address', 'Tenant.phone'],
    withheldReason:
      'Vordering op grond van art. 126nd Wetboek van Strafvordering; informeren zou het lopende ' +
      'opsporingsonderzoek schaden (art. 41 lid 1 UAVG).',
  },
  {
    name: 'Gemeente Amersfoort',
    fields: ['Tenant.firstName', 'Tenant.lastName', 'Tenant.address', 'Tenant.householdSize'],
    withheldReason: null,
  },
  {
    name: 'UWV',
    fields: ['Tenant.firstName', 'Tenant.lastName', 'Tenant.dateOfBirth', 'Tenant.address'],
    withheldReason: null,
  },
  {
    name: 'Belastingdienst/FIOD',
    fields: ['Tenant.firstName', 'Tenant.lastName', 'Tenant.dateOfBirth', 'Tenant.iban', 'Lease.monthlyRent'],
    withheldReason:
      'Geheimhouding bij een lopend fiscaal strafrechtelijk onderzoek (art. 41 lid 1 sub d UAVG); ' +
      'de FIOD heeft verzocht de huurder niet te informeren.',
  },
] as const;

/** Dutch labels for the disclosed fields, used in notification texts. */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  'Tenant.firstName': 'voornaam',
  'Tenant.lastName': 'achternaam',
  'Tenant.dateOfBirth': 'geboortedatum',
  'Tenant.address': 'adres',
  'Tenant.phone': 'telefoonnummer',
  'Tenant.iban': 'IBAN',
  'Tenant.householdSize': 'huishoudgrootte',
  'Lease.monthlyRent': 'maandhuur',
  'ArrearsCase.amountDue': 'openstaand bedrag',
};

export const DSR_OUTCOMES: Readonly<Record<string, { RESOLVED: string; REFUSED: string }>> = {
  ACCESS: {
    RESOLVED: 'Overzicht van alle gegevens (export) verstrekt via MijnMijande.',
    REFUSED: 'De identiteit van de verzoeker kon niet worden vastgesteld.',
  },
  RECTIFICATION: {
    RESOLVED: 'Telefoonnummer en e-mailadres gecorrigeerd.',
    REFUSED: 'De gevraagde wijziging van de geboortedatum is niet onderbouwd met een identiteitsbewijs.',
  },
  ERASURE: {
    RESOLVED: 'Gegevens verwijderd voor zover niet nodig voor de huurovereenkomst en de fiscale bewaarplicht.',
    REFUSED: 'Verwijdering geweigerd: de lopende huurovereenkomst vereist naam, adres en IBAN.',
  },
  RESTRICTION: {
    RESOLVED: 'Beperking opgeheven nadat de betwiste gegevens zijn gecontroleerd.',
    REFUSED: 'Geen grond voor beperking van de verwerking (art. 18 AVG).',
  },
};

export const PRIVACY_STATEMENT_TEXT =
  'Demo: privacyverklaring van Mijande (versie 1). Dit is een voorbeeldtekst voor demonstratie- en ' +
  'testdoeleinden, niet de echte privacyverklaring. Wij leggen zo min mogelijk gegevens vast en delen ' +
  'ze alleen met aannemers, bouwbedrijven en gerechtsdeurwaarders als dat nodig is, of als de wet ons ' +
  'daartoe verplicht. Gegevens van vertrokken huurders bewaren wij maximaal een jaar; facturen zeven jaar.';
