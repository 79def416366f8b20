import type { AppMode } from '../contract/results.ts';
import { AppError } from '../core/errors.ts';
import type { Handlers } from './dispatch.ts';
import type { BriefService } from './service.ts';

type ModeHandlers = Pick<Handlers, 'demo/status' | 'demo/enter' | 'demo/leave'>;

/**
 * The mode calls of an app that shows one thing only: the sample day (`--demo`) or the user's own briefs (a
 * service without a runtime, as in tests and scripts).
 */
export function fixedModeHandlers(service: BriefService): ModeHandlers {
  const mode: AppMode = { mode: service.demo ? 'sample' : 'own', canLeave: false };
  return {
    'demo/status': () => mode,
    'demo/enter': () => {
      if (service.demo) return mode;
      throw new AppError('mode_fixed', 'the sample day is not offered here', {
        hint: 'Open Daily Brief (the desktop app or `daily-brief serve`) to try it',
      });
    },
    'demo/leave': () => {
      if (!service.demo) return mode;
      throw new AppError('mode_fixed', 'this app was started on the sample day only', {
        hint: 'Start Daily Brief without --demo for your own brief',
      });
    },
  };
}
