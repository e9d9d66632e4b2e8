// Nodes as the event log and scenario files spell them (snake_case, a stable contract) and as
// the code does (camelCase).
import type { NodeSpec } from './types.js';

export interface WireNode {
  id: string;
  name: string;
  cpus: number;
  ram_gb: number;
  gpus: number;
  type: string;
}

export const nodeToWire = (n: NodeSpec): WireNode => ({
  id: n.id,
  name: n.name,
  cpus: n.cpus,
  ram_gb: n.ramGb,
  gpus: n.gpus,
  type: n.type,
});

export const nodeFromWire = (n: WireNode): NodeSpec => ({
  id: n.id,
  name: n.name,
  cpus: n.cpus,
  ramGb: n.ram_gb,
  gpus: n.gpus,
  type: n.type,
});
