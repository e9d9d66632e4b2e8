// Verifiable evidence, gathered as messages reach honest replicas. Channels are authenticated, so
// a message proves who sent it: two different votes from one sender for one step of one round,
// two different proposals for one round, or a proposal that fails the validity predicate.
// Lateness, silence and absence prove nothing: a crashed, slow or cut-off agent is never accused.
import type { EvidenceEvent } from '../events.js';

export type EvidenceKind = Extract<
  EvidenceEvent['kind'],
  'equivocation' | 'invalid_proposal' | 'malformed_proposal'
>;

export class Evidence {
  /** Sender index -> the first evidence against it this height. */
  readonly against = new Map<number, { kind: EvidenceKind; detail: string }>();

  equivocation(sender: number, detail = 'conflicting signed messages in one round'): void {
    this.add(sender, 'equivocation', detail);
  }

  /** A proposal that fails the validity predicate (or is not a node at all: malformed). */
  invalidProposal(sender: number, malformed: boolean, detail: string): void {
    this.add(sender, malformed ? 'malformed_proposal' : 'invalid_proposal', detail);
  }

  private add(sender: number, kind: EvidenceKind, detail: string): void {
    if (!this.against.has(sender)) this.against.set(sender, { kind, detail });
  }
}
