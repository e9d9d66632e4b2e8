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
  toggleWhy(): void;
  closeOverlays(): void;
  /** Scrolls the open overlay; positive moves down, clamped to its last page. */
  scrollOverlay(lines: number): void;
  /** A page of the open overlay scrolls by `page`; `max` is its last scroll position. */
  setOverlayBounds(page: number, max: number): void;
  /** Moves the timeline one round back (-1) or forward (+1); forward past the newest is live. */
  moveRound(delta: 1 | -1): void;
  /** Back to the live round. */
  liveRound(): void;
  toggleAutoPause(): void;
  /** A one-line message on the key-help line (a refused key, why the run paused); the next key clears it. */
  setKeyNotice(notice: string | null): void;
  /** Forgets the run (a rewind re-runs it from the start); the UI's own choices stay. */
  reset(): void;
  /** Shows a warning in the header. */
  setNotice(text: string): void;
}

export interface DashboardState extends DashboardData {
  actions: DashboardActions;
}

export type DashboardStore = StoreApi<DashboardState>;

const CLOSED = { helpOpen: false, detailOpen: false, whyOpen: false, overlayScroll: 0 } as const;

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
        setUi({ ...CLOSED, helpOpen: !get().ui.helpOpen });
      },
      openDetail() {
        if (get().agents.length > 0) setUi({ ...CLOSED, detailOpen: true });
      },
      toggleWhy() {
        setUi({ ...CLOSED, whyOpen: !get().ui.whyOpen });
      },
      closeOverlays() {
        setUi(CLOSED);
      },
      scrollOverlay(lines) {
        const { overlayScroll, overlayMax } = get().ui;
        const next = Math.max(0, Math.min(overlayMax, overlayScroll + lines));
        if (next !== overlayScroll) setUi({ overlayScroll: next });
      },
      setOverlayBounds(page, max) {
        const { ui } = get();
        if (ui.overlayPage === page && ui.overlayMax === max) return;
        setUi({
          overlayPage: page,
          overlayMax: max,
          overlayScroll: Math.min(ui.overlayScroll, max),
        });
      },
      moveRound(delta) {
        const { history, ui } = get();
        if (history.length === 0) return;
        const at =
          ui.viewRound === null
            ? history.length
            : history.findIndex((r) => r.round === ui.viewRound);
        // A selected round that fell out of the bounded history: start again from the oldest kept.
        const from = at < 0 ? 0 : at;
        const to = from + delta;
        if (to >= history.length) setUi({ viewRound: null, logScroll: 0 });
        else setUi({ viewRound: history[Math.max(0, to)]?.round ?? null, logScroll: 0 });
      },
      liveRound() {
        setUi({ viewRound: null, logScroll: 0 });
      },
      toggleAutoPause() {
        const autoPause = !get().ui.autoPause;
        setUi({
          autoPause,
          notice: `auto-pause ${autoPause ? 'on' : 'off'} (UNSAFE, FORK, sections)`,
        });
      },
      setKeyNotice(notice) {
        if (notice !== get().ui.notice) setUi({ notice });
      },
      reset() {
        const fresh = initialData();
        set((state) => ({
          ...fresh,
          run: { ...state.run, scenarioDone: false, freePlay: false, stopped: false },
          ui: { ...state.ui, viewRound: null, logScroll: 0, overlayScroll: 0 },
        }));
      },
      setNotice(text) {
        set({ notice: text });
      },
    };

    return { ...initialData(options), actions };
  });
}
