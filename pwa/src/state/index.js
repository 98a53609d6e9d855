// What the screens read and change, one module per concern. Screens and the shell import it
// from here in one line (`import { draft, roster } from '../../state/index.js'`): one place to
// look, and one edge in the module graph per screen, which keeps the bundler from cutting the
// first load into several small chunks (it did when each screen imported the modules apart).
export * as session from './session.js';
export * as draft from './draft.js';
export * as roster from './roster.js';
export * as status from './status.js';
export * as syncing from './syncing.js';
export * as prefs from './prefs.js';
export * as lock from './lock.js';
export * as tasks from './tasks.js';
export * as cases from './cases.js';
