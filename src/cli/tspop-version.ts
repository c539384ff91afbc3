import { TSPOP_ROOT } from '../dyne-scanner.ts';
import { packageVersion } from './package-version.ts';

/** The running tspop's version, for the `--version` of its own bins (whatever project they run in). */
export const TSPOP_VERSION: string = packageVersion(TSPOP_ROOT) ?? '0.0.0';
