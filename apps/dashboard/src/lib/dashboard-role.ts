/** Roles a user or token has on the dashboard: `admin` may change jobs, `viewer` only reads. */
export type DashboardRole = 'admin' | 'viewer';
