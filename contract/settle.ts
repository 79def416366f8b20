/** A bounded wait, shared by the app and the renderer. */
export { settleWithin } from '../core/settle.ts';
