import { requireCjs } from './require-cjs.ts';

requireCjs('reflect-metadata');

/** tsyringe, with the reflect-metadata polyfill it needs installed first (see require-cjs.ts for why require). */
export const tsyringe = requireCjs('tsyringe') as typeof import('tsyringe');
