export * from './lock';
export * from './open';
export * from './queries/admin';
export * from './queries/audit';
export * from './queries/chart';
export * from './queries/coverage';
export * from './queries/reception';
export * from './queries/visits';
export * as schema from './schema';
