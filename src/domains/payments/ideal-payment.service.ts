import { randomBytes } from 'node:crypto';
import { assertUuid } from '../../privacy/read/connection';
import { BadUserInputError, NotFoundError } from '../../platform/errors';
import type { AppContext } from '../../privacy/context';
import { InvoiceStatus } from '../invoices/invoice.entity';
import type { IdealPayment } from './ideal-payment.type';
import { paymentProvider, type PaymentRequest } from './payment-provider';
import { recordPersonalReads } from '../../privacy/rules/record-reads';

/**
 * Tenant: starts an iDEAL payment of one of the caller's own open invoices. The invoice is read
 * through the scoped reader, so another tenant's invoice answers exactly like a missing one. The
 * provider gets the amount, the currency and a random reference: nothing that names the tenant.
 * Nothing is written; the reference is kept nowhere.
 */
export async function payInvoiceWithIdeal(ctx: AppContext, invoiceId: string): Promise<IdealPayment> {
  assertUuid(invoiceId, 'invoiceId');
  const invoice = await ctx.reader.byId('Invoice', invoiceId);
  if (!invoice) throw new NotFoundError('Invoice');
  if (invoice.status !== InvoiceStatus.OPEN) throw new BadUserInputError('The invoice is already paid', 'invoiceId');
  const amountCents = Math.round(Number(invoice.amount) * 100);
  if (!(amountCents > 0)) throw new BadUserInputError('The invoice has nothing to pay', 'invoiceId');
  const request: PaymentRequest = { amountCents, currency: 'EUR', reference: randomBytes(16).toString('base64url') };
  const session = await paymentProvider().createPayment(request);
  // The answer carries the invoice's amount, a personal value: audited as a read of Invoice.amount.
  recordPersonalReads(ctx.audit, invoice, ['amount']);
  return { paymentId: session.paymentId, redirectUrl: session.redirectUrl, amount: amountCents / 100 };
}
