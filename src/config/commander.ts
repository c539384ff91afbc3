import { requireCjs } from '../require-cjs.ts';

/** commander, required rather than imported (see src/require-cjs.ts). */
export const commander = requireCjs('commander') as typeof import('commander');
