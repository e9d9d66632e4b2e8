// Maps and sets that live for the whole run but are filled and emptied over and over (the
// outstanding calls, a phase at a time). V8 grows and shrinks such a table as it fills and
// empties, and links each table it discards to its successor (for iterators still walking it).
// Once one of them has been promoted to the old generation, that chain of dead tables keeps
// every later table, and every entry they held, alive through each young collection until a
// full one: at --speed max about 1 KB a round survived each scavenge, four times a round's live
// data, and was then promoted. Starting a fresh one whenever it is empty cuts the chain.

/** Deletes `key`; returns the map to keep using: a fresh one once this one is empty. */
export function dropKey<K, V>(map: Map<K, V>, key: K): Map<K, V> {
  map.delete(key);
  return map.size === 0 ? new Map() : map;
}

/** Deletes `value`; returns the set to keep using: a fresh one once this one is empty. */
export function dropMember<T>(set: Set<T>, value: T): Set<T> {
  set.delete(value);
  return set.size === 0 ? new Set() : set;
}
