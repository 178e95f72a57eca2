// @karte/billing — pure: tariff by date, rules with reasons, 窓口負担 with 公費 and 高額療養費.
// Node-only loading of the bundled master files is in './bundled'.
export * from './calculate';
export * from './copay';
export * from './rules';
export * from './tariff';
export * from './types';
