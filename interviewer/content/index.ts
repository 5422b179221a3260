export { defaultContentDir } from './content-dir';
export { ContentError, formatProblem, type ContentProblem } from './errors';
export { loadLibrary, resolvePlan, type Library } from './library';
export { parseQuestionFile, parseTemplateFile } from './parse';
export {
  CONTENT_FORMAT_VERSION,
  CONTENT_LIMITS,
  codingTaskFileSchema,
  discussionQuestionFileSchema,
  questionFileSchema,
  templateFileSchema,
  type QuestionFile,
  type TemplateFile
} from './schema';
