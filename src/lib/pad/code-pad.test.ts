import { describe, expect, it } from 'vitest';
import { connectionBadge } from './code-pad.svelte';

const doc = (status: 'connecting' | 'connected' | 'reconnecting' | 'offline', error = null) => ({
  state: { status, unsynced: 0, readOnly: false, error },
  error: null
});

describe('connection badge', () => {
  it('shows the worse of the document and the session, with what happens to edits', () => {
    expect(connectionBadge(doc('connected'), { status: 'connected', error: null })).toEqual({
      status: 'connected',
      detail: null
    });
    expect(connectionBadge(doc('connected'), { status: 'reconnecting', error: null })).toEqual({
      status: 'reconnecting',
      detail: 'Edits are kept and sent when the connection is back.'
    });
    expect(connectionBadge(doc('offline'), { status: 'connecting', error: null }).status).toBe(
      'offline'
    );
  });

  it('prefers the document’s own error, then the session’s', () => {
    expect(
      connectionBadge(
        { state: doc('offline').state, error: 'The pad could not be opened.' },
        { status: 'offline', error: 'Session refused.' }
      ).detail
    ).toBe('The pad could not be opened.');
    expect(
      connectionBadge(doc('connected'), { status: 'offline', error: 'Session refused.' })
    ).toEqual({ status: 'offline', detail: 'Session refused.' });
  });
});
