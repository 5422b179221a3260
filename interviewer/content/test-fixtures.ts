/** Small valid content files for tests, built fresh each call so a test may mutate them. */

function dimension(id: string) {
  return {
    id,
    name: `Dimension ${id}`,
    description: 'What this dimension measures.',
    concepts: ['one', 'two', 'three'].map((c) => ({
      id: `${id}-${c}`,
      label: `${id} ${c}`,
      phrases: [`${id} ${c} alpha`, `${id} ${c} beta`, `${id} ${c} gamma`]
    })),
    probes: [`How would you approach ${id}?`, `What goes wrong with ${id}?`],
    strong: 'Covers everything with reasons.',
    weak: 'Covers nothing.'
  };
}

export function discussionFile(id = 'sample-question') {
  return {
    version: 1,
    id,
    kind: 'discussion',
    title: 'A sample question',
    prompt: 'Design something.',
    tags: ['sample'],
    minutes: 7,
    rubric: [dimension('first'), dimension('second'), dimension('third')]
  };
}

export function codingFile(id = 'sample-task') {
  return {
    version: 1,
    id,
    kind: 'coding',
    title: 'A sample task',
    prompt: 'Write something.',
    minutes: 15,
    starter: { python: 'print("hello")\n' },
    followUps: ['Walk me through what happens when the input is empty.'],
    rubric: [dimension('first'), dimension('second'), dimension('third')]
  };
}

export function templateFile(id = 'sample-template', questionIds = ['sample-question']) {
  return {
    version: 1,
    id,
    title: 'A sample template',
    description: 'For tests.',
    sections: [{ id: 'only', title: 'Only section', minutes: 7, questionIds }]
  };
}
