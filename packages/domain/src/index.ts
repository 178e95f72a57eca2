export * from './checkDigit';
export * from './contracts/admin';
export * from './contracts/patient';
export * from './kana';
export * from './wareki';
