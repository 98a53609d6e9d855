// A real IndexedDB implementation in memory for Dexie, and a build-time constant.
import 'fake-indexeddb/auto';

globalThis.__APP_VERSION__ = 'test';
