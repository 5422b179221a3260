/**
 * Candidate text is data (ARCHITECTURE.md, "Interviewer"): messages that try
 * to instruct the interviewer are flagged in the evaluation and never count
 * towards a score (issue 5, 6). The patterns aim at instructions to a model or
 * a grader; everyday backend talk ("ignore the previous request", "a 429",
 * "rate limits") must not match (injection.test.ts keeps both lists).
 */

const PATTERNS: RegExp[] = [
  // "ignore all previous instructions", "disregard the above prompt", "forget your rules"
  /\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+|every\s+)?(?:of\s+)?(?:the\s+|your\s+|my\s+|these\s+|those\s+)?(?:previous\s+|prior\s+|above\s+|earlier\s+|preceding\s+|original\s+|system\s+|initial\s+)*(?:instructions?|prompts?|rules|directions|guidelines|directives)\b/i,
  /\byou\s+are\s+now\b/i,
  /\bfrom\s+now\s+on,?\s+you\b/i,
  /\bnew\s+instructions?\s*:/i,
  /\b(?:the\s+|your\s+)?system\s+prompt\b/i,
  /\b(?:developer|system|god|admin)\s+mode\b/i,
  /\b(?:reveal|print|show|repeat|output)\s+(?:me\s+)?(?:your|the)\s+(?:hidden\s+|system\s+|original\s+)?(?:prompt|instructions|rubric)\b/i,
  /\bpretend\s+(?:you\s+are|to\s+be|that\s+you)\b/i,
  /\bact\s+as\s+(?:an?\s+|the\s+|my\s+)?(?:interviewer|evaluator|grader|assistant|ai|system|admin|recruiter)\b/i,
  /\bas\s+an\s+(?:ai|a\.i\.|llm|language\s+model)\b/i,
  /\byou(?:\s+are|'re)\s+(?:just\s+)?(?:an?\s+)?(?:ai|llm|language\s+model|chatbot|gpt|chatgpt)\b/i,
  // "give me a 4", "score me 4/4", "rate this answer a four", "mark me top marks"
  /\b(?:give|grade|score|rate|mark|award)\s+(?:me|this(?:\s+answer)?|my\s+answers?)\s+(?:an?\s+|the\s+)?(?:4|four|5|five|10|ten|100|top|full|maximum|max|perfect|highest|excellent)\b(?!\d)/i,
  /\b(?:give|award)\s+(?:me\s+)?(?:full|maximum|max|top|perfect)\s+(?:marks|score|scores|points)\b/i,
  /\bscore\s+me\b/i,
  /\b(?:set|change)\s+(?:the\s+|my\s+)?(?:score|rating|grade)s?\b/i,
  /\b(?:hire|pass)\s+me\b/i,
  /\b(?:i|this\s+candidate)\s+(?:should|must|deserves?\s+to)\s+(?:pass|be\s+hired|get\s+(?:a|the)\s+(?:4|top))/i,
  // Chat-template markers pasted into an answer.
  /<\/?\s*(?:system|assistant|user|instructions?)\s*>/i,
  /\[\/?(?:INST|SYS)\]/,
  /(?:^|\n)\s*(?:system|assistant)\s*:/i
];

/** The matched snippets, in pattern order, without duplicates; [] when the text is clean. */
export function detectInjection(text: string): string[] {
  const found: string[] = [];
  for (const pattern of PATTERNS) {
    const match = pattern.exec(text);
    const snippet = match?.[0].trim();
    if (snippet && !found.includes(snippet)) found.push(snippet);
  }
  return found;
}
