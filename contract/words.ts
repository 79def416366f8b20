/** Dates in words, shared by the command line and the renderer. */
export { dueWords } from '../core/due.ts';
