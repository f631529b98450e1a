import { and, col, currentDate, gte, isNull, or, paramlessSql, ScopeExpr } from './scope-expr';

/** A lease that has not ended (alias of the lease table): its end date is unset or still ahead. */
export const runningLease = (alias: string): ScopeExpr => or(isNull(col(`${alias}.end_date`)), gte(col(`${alias}.end_date`), currentDate));

/** A lease whose time covers today: started, and not ended. Who lives in a dwelling now. */
export const leaseCoversToday = (alias: string): ScopeExpr => and(gte(currentDate, col(`${alias}.start_date`)), runningLease(alias));

/** The same as SQL text, for the statements that name a lease by hand. */
export const leaseNotEnded = (alias: string): string => paramlessSql(runningLease(alias));
