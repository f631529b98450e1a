import { PaymentProvider, PaymentRequest, setPaymentProvider, SimulatedPaymentProvider } from '../../../src/domains/payments/payment-provider';
import { asStaff, codes, startTestApp, TestApp, tokens } from '../../support/app';
import { clientOperation } from '../../support/clients';
import { createInvoice, createTenant, OwnTenant } from '../../support/rows';

const PAY = clientOperation('tenant-app.graphql', 'PayInvoice');

/** Records what the provider receives, and answers like the simulator. */
class RecordingProvider implements PaymentProvider {
  readonly received: PaymentRequest[] = [];
  private readonly simulator = new SimulatedPaymentProvider();
  createPayment(request: PaymentRequest) {
    this.received.push(structuredClone(request));
    return this.simulator.createPayment(request);
  }
}

let t: TestApp;
let tenant: OwnTenant;
let other: OwnTenant;
let provider: RecordingProvider;
let previous: PaymentProvider;

beforeAll(async () => {
  t = await startTestApp();
  tenant = await createTenant(t.dataSource);
  other = await createTenant(t.dataSource);
});
beforeEach(() => {
  provider = new RecordingProvider();
  previous = setPaymentProvider(provider);
});
afterEach(() => setPaymentProvider(previous));
afterAll(() => t?.close());

const asTenant = (who = tenant) => ({ token: tokens.tenant(who.tenantId) });

test('starts a payment of an own open invoice; the provider gets only amount, currency and a random reference', async () => {
  const invoiceId = await createInvoice(t.dataSource, tenant, 'OPEN', 812.37);
  const result = await t.gql(PAY, { invoiceId }, asTenant());
  expect(result.errors).toBeUndefined();
  const payment = result.data.payInvoiceWithIdeal;
  expect(payment.amount).toBe(812.37);
  expect(payment.paymentId).toEqual(expect.any(String));
  expect(payment.redirectUrl).toContain(payment.paymentId);

  expect(provider.received).toHaveLength(1);
  const sent = provider.received[0];
  expect(Object.keys(sent).sort()).toEqual(['amountCents', 'currency', 'reference']);
  expect(sent).toMatchObject({ amountCents: 81237, currency: 'EUR' });
  const personal = [invoiceId, tenant.tenantId, tenant.email, tenant.phone, tenant.iban, 'Testa', 'Mutatie', '2025-06'];
  for (const value of personal) expect(JSON.stringify(sent)).not.toContain(value);

  // A fresh reference per payment.
  await t.gql(PAY, { invoiceId }, asTenant());
  expect(provider.received[1].reference).not.toBe(sent.reference);
  expect(sent.reference.length).toBeGreaterThanOrEqual(16);
});

test('a paid invoice is BAD_USER_INPUT', async () => {
  const invoiceId = await createInvoice(t.dataSource, tenant, 'PAID');
  const result = await t.gql(PAY, { invoiceId }, asTenant());
  expect(result.data.payInvoiceWithIdeal).toBeNull();
  expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  expect(result.errors![0].extensions!.field).toBe('invoiceId');
  expect(provider.received).toEqual([]);
});

test("another tenant's invoice answers exactly like a missing one", async () => {
  const invoiceId = await createInvoice(t.dataSource, other, 'OPEN');
  const foreign = await t.gql(PAY, { invoiceId }, asTenant());
  const missing = await t.gql(PAY, { invoiceId: 'ffffffff-0000-4000-8000-000000000004' }, asTenant());
  expect(foreign.data.payInvoiceWithIdeal).toBeNull();
  expect(codes(foreign)).toEqual(['NOT_FOUND']);
  expect(foreign.errors).toEqual(missing.errors);
  expect(provider.received).toEqual([]);
});

test('a malformed invoiceId', async () => {
  const result = await t.gql(PAY, { invoiceId: 'x' }, asTenant());
  expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  expect(result.errors![0].extensions!.field).toBe('invoiceId');
});

test('is the tenant\'s own: staff RENT_COLLECTION is refused', async () => {
  const invoiceId = await createInvoice(t.dataSource, tenant, 'OPEN');
  expect(codes(await t.gql(PAY, { invoiceId }, asStaff('RENT_COLLECTION')))).toEqual(['FORBIDDEN']);
  expect(provider.received).toEqual([]);
});

test('the amount it answers with is audited as a read of Invoice.amount for the tenant', async () => {
  const invoiceId = await createInvoice(t.dataSource, tenant, 'OPEN', 640.1);
  const result = await t.gql(PAY, { invoiceId }, asTenant());
  expect(result.errors).toBeUndefined();
  expect(result.data.payInvoiceWithIdeal.amount).toBe(640.1);
  const events = await t.dataSource.query(
    `SELECT fields, tenant_ids FROM audit_event WHERE operation LIKE 'mutation %' AND tenant_ids = ARRAY[$1]::uuid[] AND 'Invoice.amount' = ANY(fields)`,
    [tenant.tenantId],
  );
  expect(events.length).toBeGreaterThanOrEqual(1);
});
