/** Views and messages for the AI interview's client tests. */
import type { AiInterviewView, AiMessage } from '$lib/contracts/ai-interview';

let counter = 0;
/** A message with a fresh uuid-shaped id. */
export function message(speaker: AiMessage['speaker'], text: string): AiMessage {
  counter += 1;
  const id = `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
  return { id, speaker, text, at: new Date(Date.UTC(2025, 0, 6, 9, 0, counter)).toISOString() };
}

export function view(overrides: Partial<AiInterviewView> = {}): AiInterviewView {
  return {
    status: 'in_progress',
    title: 'Backend engineer',
    messages: [message('interviewer', 'Hello. Question 1 of 7 — APIs: how would you version it?')],
    sections: [
      { title: 'Design trade-offs', minutes: 29, kind: 'discussion', state: 'current' },
      { title: 'Coding', minutes: 15, kind: 'coding', state: 'upcoming' }
    ],
    sectionEndsAt: '2025-01-06T09:29:00.000Z',
    deadlineAt: '2025-01-06T10:09:00.000Z',
    startedAt: '2025-01-06T09:00:00.000Z',
    finishedAt: null,
    codingTask: null,
    ...overrides
  };
}
