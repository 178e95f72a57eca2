import { uuid } from 'drizzle-orm/pg-core';
import { facilities, users } from './admin';

// Columns every tenant table repeats. Functions, so each table gets its own column builder.

/** The tenant: every row of patient or clinical data belongs to one facility. */
export const facilityColumn = () =>
  uuid()
    .notNull()
    .references(() => facilities.id);

/** Who did it (nullable: system actions have no user). */
export const userColumn = () => uuid().references(() => users.id);
