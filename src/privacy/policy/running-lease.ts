/** A lease that has not ended (alias of the lease table): its end date is unset or still ahead. */
export const leaseNotEnded = (alias: string) => `(${alias}.end_date IS NULL OR ${alias}.end_date >= CURRENT_DATE)`;
