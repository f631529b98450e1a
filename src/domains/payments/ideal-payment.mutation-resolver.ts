import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { AppContext } from '../../privacy/context';
import { IdealPayment } from './ideal-payment.type';
import { payInvoiceWithIdeal } from './ideal-payment.service';

@Resolver()
export class IdealPaymentMutationResolver {
  @Mutation(() => IdealPayment, { nullable: true, description: "Tenant: pay one of the caller's open invoices with iDEAL." })
  payInvoiceWithIdeal(@Arg('invoiceId', () => ID) invoiceId: string, @Ctx() ctx: AppContext) {
    return payInvoiceWithIdeal(ctx, invoiceId);
  }
}
