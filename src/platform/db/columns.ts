import { ValueTransformer } from 'typeorm';

/** Euro amounts are numeric(10,2) in the database and numbers in the API. */
export const money: ValueTransformer = {
  to: (value: number | null) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
