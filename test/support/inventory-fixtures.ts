import { fileURLToPath } from 'node:url';

/** Absolute path of a file under test/fixtures/inventory/. */
export const fixture = (rel: string): string => fileURLToPath(new URL(`../fixtures/inventory/${rel}`, import.meta.url));
