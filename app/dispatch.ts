import {
  API_CALLS,
  isApiCall,
  type Api,
  type ApiCall,
  type ApiResults,
  checkArgs,
  type CheckedArgs,
} from '../contract/calls.ts';
import { failure, settle, unwrap, type Envelope } from '../contract/envelope.ts';
import { AppError } from '../core/errors.ts';

/** The app's side of each call: arguments already checked, defaults applied. */
export type Handlers = {
  [C in ApiCall]: (args: CheckedArgs<C>) => ApiResults[C] | Promise<ApiResults[C]>;
};

/** Every call from every front end, by name, with raw arguments: always an envelope, never a throw. */
export type Dispatch = (call: string, rawArgs?: unknown) => Promise<Envelope>;

/**
 * The one door into the app. HTTP, IPC and the CLI all come through here, so an unknown call, a bad argument
 * or a failure gets the same code, message and hint whichever front end sent it.
 */
export function createDispatch(handlers: Handlers): Dispatch {
  return (call, rawArgs) => {
    if (!isApiCall(call)) {
      return Promise.resolve(
        failure(
          new AppError('unknown_call', `there is no call "${call.slice(0, 80)}"`, {
            hint: 'Update the app: this front end asks for something this version does not have',
          }),
        ),
      );
    }
    return settle(() => {
      const args = checkArgs(call, rawArgs);
      return (handlers[call] as (a: unknown) => unknown)(args);
    });
  };
}

/** The client's shape over a dispatch: one method per call, the value or the AppError thrown again. */
export function apiOver(dispatch: Dispatch): Api {
  const api: Partial<Record<ApiCall, (args: unknown) => Promise<unknown>>> = {};
  for (const call of API_CALLS) api[call] = async (args) => unwrap(await dispatch(call, args));
  return api as Api;
}
