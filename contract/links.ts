/** The one http(s) check for links shown to the user, shared by the app and the renderer. */
export { safeHttpUrl } from '../core/links.ts';
