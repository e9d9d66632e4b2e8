// The runtime's due queue is the core's (the bft network orders its deliveries the same way).
export { DueQueue } from '../core/due-queue.js';
