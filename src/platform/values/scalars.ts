import { LocalDateResolver } from 'graphql-scalars';

/** Calendar dates (YYYY-MM-DD); the database returns `date` columns as strings, so no time zone shifts them. */
export const LocalDateScalar = LocalDateResolver;
