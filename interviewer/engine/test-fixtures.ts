/**
 * A small plan for tests and the benchmark, independent of the shipped
 * library: two discussion questions and one coding task, with rubrics shaped
 * like content/questions/*.json. Not exported from interviewer/index.ts.
 */
import type { CodingTask, DiscussionQuestion, InterviewPlan } from '../types';

export const payments: DiscussionQuestion = {
  id: 'idempotent-payments',
  kind: 'discussion',
  title: 'Idempotent payments',
  prompt:
    'A client retries POST /payments after a timeout. How do you make sure the customer is never charged twice?',
  tags: ['api-design', 'payments'],
  minutes: 10,
  rubric: [
    {
      id: 'dedup',
      name: 'Duplicate prevention',
      description: 'Recognises retries and returns the first result.',
      concepts: [
        {
          id: 'idempotency-key',
          label: 'idempotency key',
          phrases: ['idempotency key', 'request id', 'dedup key']
        },
        {
          id: 'unique-constraint',
          label: 'unique constraint',
          phrases: ['unique constraint', 'unique index']
        },
        {
          id: 'stored-response',
          label: 'stored response',
          phrases: ['store the response', 'stored response', 'return the first result']
        }
      ],
      probes: [
        'How would you recognise that a request is a retry of one you have already processed?',
        'Where would you keep what the first request returned, and for how long?'
      ],
      strong: 'Idempotency key with a unique constraint and the stored first response.',
      weak: 'Hopes retries do not happen.'
    },
    {
      id: 'concurrency',
      name: 'Concurrent retries',
      description: 'Handles two retries arriving at the same moment.',
      concepts: [
        {
          id: 'lock',
          label: 'locking',
          phrases: ['row lock', 'advisory lock', 'select for update', 'lock']
        },
        { id: 'transaction', label: 'transaction', phrases: ['transaction', 'atomic'] },
        {
          id: 'in-progress',
          label: 'in-progress state',
          phrases: ['in progress', 'pending state', 'status column']
        }
      ],
      probes: [
        'Two retries with the same key arrive at the same moment. What happens in your design?',
        'What does the second request see while the first one is still running?'
      ],
      strong: 'Serialises on the key inside a transaction and exposes an in-progress state.',
      weak: 'Ignores concurrent retries.'
    },
    {
      id: 'failure',
      name: 'Failure handling',
      description: 'Knows what to do when the payment provider fails or times out.',
      concepts: [
        {
          id: 'provider-timeout',
          label: 'provider timeout',
          phrases: ['timeout', 'times out', 'timed out']
        },
        {
          id: 'reconciliation',
          label: 'reconciliation',
          phrases: ['reconcile', 'reconciliation', 'webhook']
        },
        {
          id: 'backoff',
          label: 'backoff with jitter',
          phrases: ['exponential backoff', 'backoff', 'jitter']
        }
      ],
      probes: [
        'The payment provider times out. Did the charge happen, and how do you find out?',
        'How should clients retry, and how do you protect the provider from retry storms?'
      ],
      strong: 'Reconciles unknown outcomes and retries with backoff and jitter.',
      weak: 'Retries immediately in a loop.'
    }
  ]
};

export const backpressure: DiscussionQuestion = {
  id: 'queue-backpressure',
  kind: 'discussion',
  title: 'Queue backpressure',
  prompt:
    'Producers write to a job queue faster than the workers can process. What happens, and what do you do about it?',
  tags: ['queues', 'reliability'],
  minutes: 8,
  rubric: [
    {
      id: 'backpressure',
      name: 'Backpressure',
      description: 'Limits intake when consumers fall behind.',
      concepts: [
        {
          id: 'bounded-queue',
          label: 'bounded queue',
          phrases: ['bounded queue', 'queue limit', 'max queue size']
        },
        {
          id: 'load-shedding',
          label: 'load shedding',
          phrases: ['shed load', 'load shedding', 'reject', '429']
        },
        {
          id: 'rate-limit',
          label: 'rate limiting',
          phrases: ['rate limit', 'rate limiting', 'token bucket']
        }
      ],
      probes: [
        'What stops the queue from growing without limit?',
        'What should a producer see when the system is overloaded?'
      ],
      strong: 'Bounded queue, load shedding with 429, rate limits at the edge.',
      weak: 'Adds more workers and hopes.'
    },
    {
      id: 'observability',
      name: 'Observability',
      description: 'Sees the backlog before users do.',
      concepts: [
        {
          id: 'queue-depth',
          label: 'queue depth',
          phrases: ['queue depth', 'consumer lag', 'backlog size']
        },
        { id: 'alerting', label: 'alerting', phrases: ['alert', 'alerting', 'pager'] },
        { id: 'tracing', label: 'tracing', phrases: ['tracing', 'trace id', 'correlation id'] }
      ],
      probes: [
        'How would you know this is happening before users complain?',
        'How would you follow one job from the producer to the worker that handled it?'
      ],
      strong: 'Queue depth and lag metrics with alerts, traces across the queue.',
      weak: 'Waits for complaints.'
    },
    {
      id: 'recovery',
      name: 'Recovery',
      description: 'Deals with jobs that keep failing.',
      concepts: [
        { id: 'dlq', label: 'dead-letter queue', phrases: ['dead letter queue', 'dlq'] },
        { id: 'replay', label: 'replay', phrases: ['replay', 'reprocess'] },
        { id: 'poison', label: 'poison messages', phrases: ['poison message'] }
      ],
      probes: [
        'One job crashes the worker every time it is picked up. What happens to the queue?',
        'After an outage, how do you process the jobs that failed?'
      ],
      strong: 'Dead-letter queue for poison messages, replay after fixes.',
      weak: 'Deletes failing jobs.'
    }
  ]
};

export const rateLimiter: CodingTask = {
  id: 'rate-limiter',
  kind: 'coding',
  title: 'Token-bucket rate limiter',
  prompt:
    'Implement allow(key, now) for a token-bucket rate limiter with a capacity and a refill rate per second.',
  minutes: 15,
  starter: { python: 'def allow(key, now):\n    pass\n' },
  followUps: [
    'How would you share the limit between several app servers?',
    'What happens in your code when the clock goes backwards?'
  ],
  rubric: [
    {
      id: 'algorithm',
      name: 'Algorithm',
      description: 'Implements the token bucket correctly and efficiently.',
      concepts: [
        { id: 'refill', label: 'refill on read', phrases: ['refill', 'elapsed time'] },
        { id: 'constant-time', label: 'constant time', phrases: ['o(1)', 'constant time'] }
      ],
      probes: ['How do tokens come back into the bucket in your code?'],
      strong: 'Refills lazily from elapsed time in O(1).',
      weak: 'Uses a timer thread per key.'
    },
    {
      id: 'distributed',
      name: 'Distribution',
      description: 'Shares the limit across servers.',
      concepts: [
        {
          id: 'shared-store',
          label: 'shared store',
          phrases: ['redis', 'shared store', 'central store']
        },
        {
          id: 'atomic-update',
          label: 'atomic update',
          phrases: ['lua script', 'compare and swap', 'atomically']
        }
      ],
      probes: ['Where does the bucket live when there are ten app servers?'],
      strong: 'Redis with an atomic Lua script.',
      weak: 'Keeps a bucket per server.'
    },
    {
      id: 'clock',
      name: 'Time handling',
      description: 'Copes with clocks that jump.',
      concepts: [
        { id: 'monotonic', label: 'monotonic clock', phrases: ['monotonic clock', 'monotonic'] },
        {
          id: 'clock-skew',
          label: 'clock skew',
          phrases: ['clock skew', 'negative elapsed', 'clamp']
        }
      ],
      probes: ['Which clock does your code read, and why?'],
      strong: 'Monotonic clock, clamps negative elapsed time.',
      weak: 'Does not consider clocks.'
    }
  ]
};

export function fixturePlan(): InterviewPlan {
  return {
    templateId: 'fixture',
    title: 'Backend fixture interview',
    sections: [
      { id: 'discussion', title: 'Discussion', minutes: 20, questions: [payments, backpressure] },
      { id: 'coding', title: 'Coding', minutes: 20, questions: [rateLimiter] }
    ]
  };
}

/** A one-question plan (simulate, unit tests). */
export function singleQuestionPlan(question = payments): InterviewPlan {
  return {
    templateId: 'single',
    title: question.title,
    sections: [{ id: 'only', title: 'Only', minutes: question.minutes, questions: [question] }]
  };
}
