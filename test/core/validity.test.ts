import { describe, expect, it } from 'vitest';
import { DEFAULT_JOBS, DEFAULT_NODES, FAKE_NODE_ID } from '../../src/core/catalogue.js';
import type { JobSpec, NodeSpec } from '../../src/core/types.js';
import { checkValidity } from '../../src/core/validity.js';

const job = (id: string): JobSpec => {
  const j = DEFAULT_JOBS.find((x) => x.id === id);
  if (!j) throw new Error(id);
  return j;
};

const validNodes = (j: JobSpec): string[] =>
  DEFAULT_NODES.filter((n) => checkValidity(j, n.id, DEFAULT_NODES).valid).map((n) => n.id);

describe('validity predicate V(job, node)', () => {
  it('accepts exactly the nodes meeting every hard requirement of the default jobs', () => {
    expect(validNodes(job('ai-training'))).toEqual(['n1', 'n2']);
    expect(validNodes(job('data-analytics'))).toEqual(['n3', 'n4']);
    expect(validNodes(job('ml-pipeline'))).toEqual(['n1', 'n2']);
    expect(validNodes(job('cfd-simulation'))).toEqual(['n5']);
    expect(validNodes(job('genomics-assembly'))).toEqual(['n3', 'n4']);
    expect(validNodes(job('llm-inference'))).toEqual(['n1', 'n2']);
    expect(validNodes(job('log-archive'))).toEqual(['n1', 'n2', 'n3', 'n4', 'n5', 'n6']);
  });

  it('every default job has at least one valid node (so an honest round can commit)', () => {
    for (const j of DEFAULT_JOBS) expect(validNodes(j).length, j.id).toBeGreaterThan(0);
  });

  it('rejects a node that is not in the inventory, naming it', () => {
    const v = checkValidity(job('ai-training'), FAKE_NODE_ID, DEFAULT_NODES);
    expect(v).toEqual({ valid: false, reason: 'n999 is not in the cluster' });
  });

  it('rejects a null node id', () => {
    expect(checkValidity(job('ai-training'), null, DEFAULT_NODES).valid).toBe(false);
  });

  it('explains which requirement fails: GPUs, then RAM, then CPUs', () => {
    const ai = job('ai-training');
    expect(checkValidity(ai, 'n6', DEFAULT_NODES)).toEqual({
      valid: false,
      reason: 'n6: 0 GPUs < 4 required',
    });
    expect(checkValidity(job('data-analytics'), 'n1', DEFAULT_NODES)).toEqual({
      valid: false,
      reason: 'n1: 256 GB RAM < 384 GB required',
    });
    expect(checkValidity(job('cfd-simulation'), 'n3', DEFAULT_NODES)).toEqual({
      valid: false,
      reason: 'n3: 64 CPUs < 96 required',
    });
  });

  it('treats requirements as inclusive minimums (equal is enough)', () => {
    const nodes: NodeSpec[] = [{ id: 'x', name: 'X', cpus: 8, ramGb: 32, gpus: 2, type: 'gpu' }];
    const exact: JobSpec = {
      id: 'j',
      title: 'J',
      description: 'J',
      requirements: { minGpus: 2, minRamGb: 32, minCpus: 8 },
    };
    expect(checkValidity(exact, 'x', nodes).valid).toBe(true);
    const oneMore = (k: 'minGpus' | 'minRamGb' | 'minCpus'): JobSpec => ({
      ...exact,
      requirements: { ...exact.requirements, [k]: exact.requirements[k] + 1 },
    });
    expect(checkValidity(oneMore('minGpus'), 'x', nodes).valid).toBe(false);
    expect(checkValidity(oneMore('minRamGb'), 'x', nodes).valid).toBe(false);
    expect(checkValidity(oneMore('minCpus'), 'x', nodes).valid).toBe(false);
  });

  it('judges only against the inventory it is given', () => {
    expect(checkValidity(job('log-archive'), 'n1', []).valid).toBe(false);
  });
});
