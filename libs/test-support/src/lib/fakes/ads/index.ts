export * from './synthetic-ad-accounts';
export * from './synthetic-day';
export * from './synthetic-hourly-cost';
