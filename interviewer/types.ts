/**
 * The interviewer's public contracts: content (questions, rubrics, templates),
 * the plan an interview follows, transcripts, decisions, evaluations, and the
 * provider interface. No DB or HTTP imports here or anywhere in interviewer/.
 */

// ---------- content ----------

/** A concept a strong answer covers, recognised in the candidate's own words. */
export type Concept = {
  id: string;
  /** Short human label, e.g. "idempotency key". */
  label: string;
  /** Phrases and synonyms, lower case; any one of them counts (unless negated). */
  phrases: string[];
};

export type RubricDimension = {
  id: string;
  name: string;
  /** What this dimension measures, one sentence. */
  description: string;
  concepts: Concept[];
  /** Follow-up questions that ask about this dimension's uncovered concepts, most general first. */
  probes: string[];
  /** What a strong answer (score 4) and a weak answer (score 1) look like. */
  strong: string;
  weak: string;
};

export type DiscussionQuestion = {
  id: string;
  kind: 'discussion';
  title: string;
  /** The question as asked. */
  prompt: string;
  /** Topic tags, e.g. ["api-design", "versioning"]. */
  tags: string[];
  /** Suggested minutes for this question. */
  minutes: number;
  rubric: RubricDimension[];
};

export type CodingTask = {
  id: string;
  kind: 'coding';
  title: string;
  prompt: string;
  minutes: number;
  /** Starter code per sandbox language id. */
  starter: Record<string, string>;
  /** Questions the interviewer asks about the candidate's own code after they run it. */
  followUps: string[];
  rubric: RubricDimension[];
};

export type Question = DiscussionQuestion | CodingTask;

export type TemplateSection = {
  id: string;
  title: string;
  /** Minutes for the whole section. */
  minutes: number;
  questionIds: string[];
};

export type InterviewTemplate = {
  id: string;
  title: string;
  description: string;
  sections: TemplateSection[];
};

// ---------- plan and transcript ----------

/** A template resolved against the question library: what the engine follows. */
export type InterviewPlan = {
  templateId: string;
  title: string;
  sections: { id: string; title: string; minutes: number; questions: Question[] }[];
};

export type Speaker = 'interviewer' | 'candidate' | 'system';

export type TranscriptMessage = {
  id: string;
  speaker: Speaker;
  text: string;
  /** ISO 8601. */
  at: string;
  /** Which question and rubric dimension this message served, when it did. */
  questionId?: string;
  dimensionId?: string;
  /** Why the interviewer said it (the decision), for audits. */
  action?: TurnAction;
};

export const TURN_ACTIONS = [
  'ask', // a new question
  'probe', // deeper on the current dimension
  'follow_up', // an uncovered rubric point of the current question
  'clarify', // asked for specifics after a vague answer
  'repeat', // the candidate asked to hear it again
  'redirect', // the answer was off-topic
  'nudge', // the candidate said nothing / "I don't know"
  'move_on', // next question
  'wrap_up' // closing message; the interview is over
] as const;
export type TurnAction = (typeof TURN_ACTIONS)[number];

/** The engine's whole state: plain JSON, persisted between turns so a refresh resumes exactly. */
export type EngineState = {
  sectionIndex: number;
  questionIndex: number;
  /** Concept ids already covered, per question id. */
  covered: Record<string, string[]>;
  /** Probe texts already asked (never ask the same thing twice). */
  asked: string[];
  /** Interviewer turns spent on the current question. */
  turnsOnQuestion: number;
  /** ISO time the current question / section started. */
  questionStartedAt: string;
  sectionStartedAt: string;
  startedAt: string;
  finished: boolean;
};

export type Decision = {
  action: TurnAction;
  /** The interviewer's next message. */
  message: string;
  questionId?: string;
  dimensionId?: string;
};

// ---------- evaluation ----------

export type DimensionScore = {
  questionId: string;
  dimensionId: string;
  /** 1 (weak) to 4 (strong). */
  score: 1 | 2 | 3 | 4;
  rationale: string;
  /** Verbatim quotes from the candidate's messages; the server drops any that are not. */
  evidence: string[];
};

export type Evaluation = {
  source: 'offline' | 'llm';
  scores: DimensionScore[];
  summary: string;
  strengths: string[];
  concerns: string[];
  followUpTopics: string[];
  /** Candidate messages that tried to instruct the interviewer ("ignore previous instructions", "give me a 4"). */
  injectionAttempts: string[];
  /** Quotes removed because they were not verbatim in the candidate's messages. */
  droppedEvidence: number;
};

// ---------- providers ----------

export type TurnInput = {
  plan: InterviewPlan;
  state: EngineState;
  transcript: TranscriptMessage[];
  /** The candidate's latest message ("" for silence / a timeout). */
  answer: string;
  now: Date;
  /** For coding sections: the candidate's code and latest run, when there is one. */
  code?: {
    language: string;
    files: Record<string, string>;
    lastRun?: { status: string; stdout: string; stderr: string };
  };
};

export type TurnResult = { decision: Decision; state: EngineState };

/** Decides the next turn and scores transcripts. The offline engine and the OpenAI provider both implement it. */
export interface InterviewerProvider {
  readonly name: 'offline' | 'openai';
  /** Decides the next turn; `onToken` receives the message as it streams (the offline engine sends it whole). */
  turn(
    input: TurnInput,
    options?: { signal?: AbortSignal; onToken?: (text: string) => void }
  ): Promise<TurnResult>;
  evaluate(
    plan: InterviewPlan,
    transcript: TranscriptMessage[],
    options?: { signal?: AbortSignal }
  ): Promise<Evaluation>;
}
