/** The app's public contracts, re-exported for tests: responses are checked against what the server promises. */
export { pageOf, roleSchema } from '../../src/lib/contracts/common';
export { errorBodySchema } from '../../src/lib/contracts/errors';
export {
  candidateSchema,
  interviewSchema,
  interviewWithLinkSchema,
  type CreateInterviewInput,
  type Interview
} from '../../src/lib/contracts/interviews';
