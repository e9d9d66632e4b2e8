import { useApp, useInput, type Key } from 'ink';
import { useCallback } from 'react';
import { useDashboardContext } from './context.js';
import { performIntent } from './intents.js';
import { resolveKey, type KeyScope } from './keymap.js';

/**
 * The one key dispatcher. Each screen mounts it with its scope; `isActive` makes exactly one
 * scope listen, so an open overlay takes the keys the main screen would otherwise get.
 */
export function useKeymap(scope: KeyScope, isActive: boolean): void {
  const { store, runtime } = useDashboardContext();
  const { exit } = useApp();
  const onInput = useCallback(
    (input: string, key: Key) => {
      // Keys typed faster than the terminal is read arrive as one chunk ("2c"): each counts.
      const chunks = input.length > 1 && !key.ctrl && !key.meta ? [...input] : [input];
      for (const chunk of chunks) {
        const isReturn = chunks.length > 1 && (chunk === '\r' || chunk === '\n');
        const intent = resolveKey(scope, chunk, isReturn ? { ...key, return: true } : key);
        if (intent === null) continue;
        // A notice answers the last key; the next key moves on from it.
        store.getState().actions.setKeyNotice(null);
        performIntent(intent, { store, runtime, exit: () => exit() });
      }
    },
    [scope, store, runtime, exit],
  );
  useInput(onInput, { isActive });
}
