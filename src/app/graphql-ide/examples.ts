import type { Role } from '../../platform/auth/audiences';

/**
 * The IDE's first query for each role (the README's "try" column): what that role's app typically
 * asks. Anonymous: GraphiQL takes a replaced query's operation name only after a debounce, and a
 * name left from the previous example would be sent with the next one.
 */
export const EXAMPLE_QUERIES: Record<Role | 'public', string> = {
  staff: `# Staff: every purpose reads the fields POLICY.md gives it; change X-Purpose below to compare.
{
  tenants(first: 5) {
    edges { node { id firstName lastName phone email } }
  }
}
`,
  tenant: `# A tenant reads their own profile (MijnMijande).
{
  myProfile {
    id
    firstName
    lastName
    email
    iban
    leases { startDate monthlyRent }
  }
}
`,
  contractor: `# A contractor reads the orders assigned to its organisation, and the tenant's phone and address while an order is open.
{
  workOrders(first: 10) {
    edges { node { id status description tenant { phone address { street city } } } }
  }
}
`,
  builder: `# A builder reads its renovation projects and the addresses of their dwellings.
{
  renovationProjects { name dwellings { address { street city } } }
}
`,
  bailiff: `# A bailiff reads the arrears cases handed to its office.
{
  arrearsCases { amountDue status tenant { lastName dateOfBirth } }
}
`,
  public: `# Without a token: only public data.
{
  privacyStatement { version publishedAt }
}
`,
};

/**
 * What the token picker asks, as staff REPAIRS, to list the seeded subjects: organisation ids per
 * kind (contractor, builder, bailiff) and some tenant ids. Sent through /graphql like any query, so
 * it is audited like any other read.
 */
export const SUBJECTS_QUERY = 'query IdeSubjects { organizations { id name kind } tenants(first: 25) { edges { node { id } } } }';
export const SUBJECTS_PURPOSE = 'REPAIRS';
