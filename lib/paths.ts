/** Where the stack finds the code it deploys. */
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Lambda entry points: one module per function */
export const LAMBDA_ENTRY_DIR = fileURLToPath(new URL('../lambdas/aws/', import.meta.url));
export const LOCK_FILE = fileURLToPath(new URL('../package-lock.json', import.meta.url));
