export * from './ad-analysis';
export * from './analyse-ad-account';
export * from './budget-pacing';
export * from './day-range';
export { ANOMALY_MIN_DAYS, ANOMALY_MIN_RELATIVE_DEVIATION, ANOMALY_Z_THRESHOLD } from './series-anomalies';
export { RECOMMENDATION_RULES } from './rules/recommend';
