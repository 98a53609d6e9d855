// A small event emitter: a state module emits ('change', 'synced', …), whoever cares listens.
export function emitter() {
  const listeners = new Map();
  return {
    /** Call listener(detail) on each `type`; returns a function that stops it. */
    on(type, listener) {
      if (!listeners.has(type)) listeners.set(type, new Set());
      listeners.get(type).add(listener);
      return () => listeners.get(type).delete(listener);
    },
    emit(type, detail) {
      for (const listener of [...(listeners.get(type) || [])]) listener(detail);
    },
  };
}
