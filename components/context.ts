// The store and runtime reach components through context, so panes stay free of props plumbing
// and tests can mount any pane against a real store.
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { RuntimeControl } from '../src/runtime/control.js';
import type { DashboardActions, DashboardState, DashboardStore } from '../src/store/store.js';

export interface DashboardContextValue {
  store: DashboardStore;
  runtime: RuntimeControl;
  colors: boolean;
}

export const DashboardContext = createContext<DashboardContextValue | null>(null);

export function useDashboardContext(): DashboardContextValue {
  const value = useContext(DashboardContext);
  if (value === null) throw new Error('dashboard components need a DashboardContext provider');
  return value;
}

/** Selectors must return stable values: a field, or a value wrapped in useShallow. */
/** A replay: keys that would change the run are refused, and the panes say so. */
export const selectReplay = (state: DashboardState): boolean => state.run.mode === 'replay';

export function useDashboard<T>(selector: (state: DashboardState) => T): T {
  return useStore(useDashboardContext().store, selector);
}

const selectActions = (state: DashboardState) => state.actions;

export function useActions(): DashboardActions {
  return useDashboard(selectActions);
}

export function useColors(): boolean {
  return useDashboardContext().colors;
}
