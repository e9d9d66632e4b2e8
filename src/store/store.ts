// The vanilla zustand store the bridge writes and the components read. Actions live in one
// stable sub-object so components can take them without subscribing to anything else.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HybridEvent } from '../core/events.js';
import type { RunStatus } from '../runtime/control.js';
import { applyEvents } from './reducer.js';
import { initialData, type DashboardData, type InitialOptions } from './state.js';

export interface DashboardActions {
  /** Applies a batch of events (one store notification) and, when given, the simulated time. */
  applyEvents(events: readonly HybridEvent[], now?: number): void;
  setStatus(status: RunStatus): void;
  setNow(now: number): void;
  selectAgent(index: number): void;
  moveSelection(delta: number): void;
  /** Positive scrolls back to older lines. */
  scrollLog(lines: number): void;
  scrollLogPage(direction: 1 | -1): void;
  setLogScroll(lines: number): void;
  setLogViewport(lines: number): void;
  /** Filters the log to the selected agent, or clears the filter when it is already set. */
  toggleLogFilter(): void;
  togglePrompts(): void;
  toggleHelp(): void;
  openDetail(): void;
  closeOverlays(): void;
  /** Shows a warning in the header. */
  setNotice(text: string): void;
}

export interface DashboardState extends DashboardData {
  actions: DashboardActions;
}

export type DashboardStore = StoreApi<DashboardState>;

export function createDashboardStore(options: InitialOptions = {}): DashboardStore {
  return createStore<DashboardState>()((set, get) => {
    const setUi = (patch: Partial<DashboardData['ui']>) =>
      set((state) => ({ ui: { ...state.ui, ...patch } }));
    const clampSelection = (index: number) =>
      Math.max(0, Math.min(index, Math.max(0, get().agents.length - 1)));

    const actions: DashboardActions = {
      applyEvents(events, now) {
        if (events.length === 0 && (now === undefined || now === get().run.now)) return;
        set((state) => {
          const next = applyEvents(state, events);
          return now === undefined || now === next.run.now
            ? next
            : { ...next, run: { ...next.run, now } };
        });
      },
      setStatus(status) {
        const { run } = get();
        if (
          run.paused === status.paused &&
          run.speed === status.speed &&
          run.scenarioDone === status.scenarioDone &&
          run.stopped === status.stopped
        )
          return;
        set({
          run: {
            ...run,
            paused: status.paused,
            speed: status.speed,
            scenarioDone: status.scenarioDone || run.scenarioDone,
            stopped: status.stopped,
          },
        });
      },
      setNow(now) {
        if (now !== get().run.now) set((state) => ({ run: { ...state.run, now } }));
      },
      selectAgent(index) {
        if (index >= 0 && index < get().agents.length) setUi({ selected: index });
      },
      moveSelection(delta) {
        setUi({ selected: clampSelection(get().ui.selected + delta) });
      },
      scrollLog(lines) {
        setUi({ logScroll: Math.max(0, get().ui.logScroll + lines) });
      },
      scrollLogPage(direction) {
        const page = Math.max(1, get().ui.logViewport - 1);
        setUi({ logScroll: Math.max(0, get().ui.logScroll + direction * page) });
      },
      setLogScroll(lines) {
        if (lines !== get().ui.logScroll) setUi({ logScroll: Math.max(0, lines) });
      },
      setLogViewport(lines) {
        if (lines !== get().ui.logViewport) setUi({ logViewport: Math.max(1, lines) });
      },
      toggleLogFilter() {
        const { agents, ui } = get();
        const agent = agents[ui.selected];
        const filter = agent === undefined || ui.logFilter === agent.id ? null : agent.id;
        setUi({ logFilter: filter, logScroll: 0 });
      },
      togglePrompts() {
        setUi({ showPrompts: !get().ui.showPrompts });
      },
      toggleHelp() {
        setUi({ helpOpen: !get().ui.helpOpen, detailOpen: false });
      },
      openDetail() {
        if (get().agents.length > 0) setUi({ detailOpen: true, helpOpen: false });
      },
      closeOverlays() {
        setUi({ helpOpen: false, detailOpen: false });
      },
      setNotice(text) {
        set({ notice: text });
      },
    };

    return { ...initialData(options), actions };
  });
}
