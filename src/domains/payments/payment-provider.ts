import { randomBytes } from 'node:crypto';

/**
 * What the payment provider (iDEAL) receives: the amount and an opaque reference, nothing else
 * (POLICY.md "Disclosures": iDEAL gets only the amount to pay). No name, no IBAN, no invoice id.
 */
export interface PaymentRequest {
  amountCents: number;
  currency: 'EUR';
  /** Random, single use, derived from nothing personal. */
  reference: string;
}

export interface PaymentSession {
  paymentId: string;
  /** Where the tenant's app sends the tenant to pay. */
  redirectUrl: string;
}

export interface PaymentProvider {
  createPayment(request: PaymentRequest): Promise<PaymentSession>;
}

/** The local default: answers like a provider would, talks to nobody. */
export class SimulatedPaymentProvider implements PaymentProvider {
  constructor(private readonly baseUrl = 'https://ideal.simulator.invalid/checkout') {}

  async createPayment(request: PaymentRequest): Promise<PaymentSession> {
    if (!Number.isInteger(request.amountCents) || request.amountCents <= 0) throw new RangeError('amountCents must be a positive integer');
    const paymentId = `sim_${randomBytes(12).toString('hex')}`;
    return { paymentId, redirectUrl: `${this.baseUrl}/${paymentId}` };
  }
}

let current: PaymentProvider = new SimulatedPaymentProvider();

export function paymentProvider(): PaymentProvider {
  return current;
}

/** Replaces the provider (a real one at start-up, a recording one in tests); returns the previous one. */
export function setPaymentProvider(provider: PaymentProvider): PaymentProvider {
  const previous = current;
  current = provider;
  return previous;
}
