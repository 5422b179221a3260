/**
 * Values the Vitest global setup hands to test files (`project.provide` →
 * `inject`). Declared once here so both sides agree on names and types.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL URL of a role that may CREATE DATABASE; tests create their own databases there. */
    testDatabaseAdminUrl: string;
    /** A directory holding a snapshot of build/ that the apps under test run from (their cwd). */
    appRoot: string;
  }
}

export const ADMIN_URL_KEY = 'testDatabaseAdminUrl';
export const APP_ROOT_KEY = 'appRoot';
