import { describe, it, expect } from 'vitest';
import { connection } from '../src/state/status.js';

const at = (s) => `2026-11-25T10:00:${String(s).padStart(2, '0')}+08:00`;
const ok = { ok: true, at: at(0) };
const failed = (reason, s = 0) => ({ ok: false, reason, at: at(s), message: 'x' });
const ms = (s) => new Date(at(s)).getTime();

describe('what the status strip says about the connection', () => {
  it('says Online only when the server answered the last attempt', () => {
    expect(connection({ online: true, attempt: ok }).state).toBe('online');
    expect(connection({ online: true, attempt: null }).state).toBe('connecting');
    expect(connection({ online: true, attempt: failed('timeout') })).toEqual({
      state: 'unreachable',
      failure: 'timeout',
      retrying: false,
    });
  });

  it('says the server is not reachable, and that it retries, with a network but no answer', () => {
    expect(connection({ online: true, attempt: failed('network'), retrying: true })).toEqual({
      state: 'unreachable',
      failure: null, // "not reachable" already says it
      retrying: true,
    });
  });

  it('never says "no network" once the phone has one again', () => {
    expect(connection({ online: true, attempt: failed('offline') })).toEqual({
      state: 'connecting',
      failure: null,
      retrying: false,
    });
  });

  it('clears a failure while a newer attempt is under way, and after a success', () => {
    expect(connection({ online: true, attempt: failed('server'), syncing: true }).failure).toBe(
      null,
    );
    expect(connection({ online: true, attempt: ok }).failure).toBe(null);
  });

  it('does not trust an answer from before the network came back', () => {
    expect(connection({ online: true, attempt: ok, backAt: ms(5) }).state).toBe('connecting');
    expect(connection({ online: true, attempt: { ...ok, at: at(6) }, backAt: ms(5) }).state).toBe(
      'online',
    );
  });

  it('says Offline without a network, whatever came before', () => {
    expect(connection({ online: false, attempt: failed('timeout') })).toEqual({
      state: 'offline',
      failure: null,
      retrying: false,
    });
  });
});
