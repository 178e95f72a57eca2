export * from './admin';
export * from './audit';
export * from './billing';
export * from './chart';
export * from './masters';
export * from './orders';
export * from './reception';
export * from './sharing';
