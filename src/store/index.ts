export { applyEvent, applyEvents } from './reducer.js';
export { createDashboardStore } from './store.js';
export type { DashboardActions, DashboardState, DashboardStore } from './store.js';
export { connectStore, realScheduler } from './bridge.js';
export type { BridgeOptions, Scheduler } from './bridge.js';
export * from './state.js';
