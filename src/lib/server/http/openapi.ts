import { z } from 'zod';
import { pageOf } from '../../contracts/common';
import { errorBodySchema } from '../../contracts/errors';
import { runSchema } from '../../contracts/runs';
import { VIDEO_EVENT_KINDS, videoConfigSchema } from '../../contracts/video';
import { runRequestSchema } from '../../../../sandbox/index';
import {
  candidateSchema,
  createCandidateSchema,
  createInterviewSchema,
  interviewSchema,
  interviewWithLinkSchema,
  listCandidatesQuerySchema,
  listInterviewsQuerySchema
} from '../../contracts/interviews';

type Schema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output' = 'output'): Schema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any'
  });
  return rest;
}

function queryParameters(schema: z.ZodObject) {
  const json = schemaOf(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, Schema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema: property
  }));
}

const idParameter = (what: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description: `The ${what}'s id.`,
  schema: { type: 'string', format: 'uuid' }
});

const jsonBody = (ref: string) => ({
  required: true,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } }
});

const ok = (ref: string, description = 'OK') => ({
  description,
  content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } }
});

const errors = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [String(status), { $ref: `#/components/responses/Error${status}` }])
  );

const errorDescriptions: Record<number, string> = {
  400: 'Malformed JSON, unknown fields or invalid values (codes: bad_request, invalid_json, validation_failed).',
  401: 'No valid credentials (code: unauthorized).',
  403: 'The role does not allow this (code: forbidden).',
  404: 'Not found in your organization (code: not_found).',
  409: 'The request conflicts with the current state (code: conflict).',
  413: 'The body is over 1 MB (code: payload_too_large).',
  422: 'A limit above its maximum (code: limit_exceeded).',
  503: 'No runner can take the run: the language is not installed, or no worker is up (codes: language_unavailable, runner_unavailable).',
  429: 'Too many requests (code: rate_limited).',
  500: 'Unexpected error; the body carries an errorId for operators (code: internal_error).'
};

/** The OpenAPI 3.1 document, generated from the same zod schemas the endpoints use. */
export function openApiDocument(serverUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tandem API',
      version: '1',
      description:
        'Interviews, candidates and invite links. Authenticate with `Authorization: Bearer <token>` (create one with `npm run -s admin -- create-token --email you@example.com` or under Settings → API tokens). Errors are `{ "error": { "code", "message" } }`.'
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: schemaOf(errorBodySchema),
        Interview: schemaOf(interviewSchema),
        InterviewWithLink: schemaOf(interviewWithLinkSchema),
        InterviewPage: schemaOf(pageOf(interviewSchema)),
        CreateInterview: schemaOf(createInterviewSchema, 'input'),
        Candidate: schemaOf(candidateSchema),
        CandidateWithInterviews: schemaOf(
          candidateSchema.extend({ interviews: z.array(interviewSchema) })
        ),
        CandidatePage: schemaOf(pageOf(candidateSchema)),
        CreateCandidate: schemaOf(createCandidateSchema, 'input'),
        CreateRun: schemaOf(
          runRequestSchema.and(z.object({ interviewId: z.uuid().optional() })),
          'input'
        ),
        Run: schemaOf(runSchema),
        VideoConfig: schemaOf(videoConfigSchema)
      },
      responses: Object.fromEntries(
        Object.entries(errorDescriptions).map(([status, description]) => [
          `Error${status}`,
          {
            description,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } }
          }
        ])
      )
    },
    paths: {
      '/interviews': {
        get: {
          operationId: 'listInterviews',
          summary: 'List interviews, newest first',
          parameters: queryParameters(listInterviewsQuerySchema),
          responses: { '200': ok('InterviewPage'), ...errors(400, 401, 403) }
        },
        post: {
          operationId: 'createInterview',
          summary: 'Create an interview and its candidate invite link',
          requestBody: jsonBody('CreateInterview'),
          responses: {
            '201': ok(
              'InterviewWithLink',
              'Created. The candidate link is shown only in this response.'
            ),
            ...errors(400, 401, 403, 413)
          }
        }
      },
      '/interviews/{id}': {
        get: {
          operationId: 'getInterview',
          summary: 'Get an interview',
          parameters: [idParameter('interview')],
          responses: { '200': ok('Interview'), ...errors(401, 403, 404) }
        }
      },
      '/interviews/{id}/cancel': {
        post: {
          operationId: 'cancelInterview',
          summary: 'Cancel an interview; its candidate link stops working',
          parameters: [idParameter('interview')],
          responses: { '200': ok('Interview'), ...errors(401, 403, 404, 409) }
        }
      },
      '/interviews/{id}/link': {
        post: {
          operationId: 'rotateInterviewLink',
          summary: 'Issue a new candidate link; the previous one stops working',
          parameters: [idParameter('interview')],
          responses: { '201': ok('InterviewWithLink'), ...errors(401, 403, 404, 409) }
        }
      },
      '/interviews/{id}/link/revoke': {
        post: {
          operationId: 'revokeInterviewLink',
          summary: 'Revoke the candidate link',
          parameters: [idParameter('interview')],
          responses: { '200': ok('Interview'), ...errors(401, 403, 404, 409) }
        }
      },
      '/interviews/{id}/docs/{doc}/token': {
        post: {
          operationId: 'createDocToken',
          summary:
            'A token (valid 5 minutes) that opens one collaborative document of the interview over the websocket /yjs/{id}/{doc}?token=…; read-only for hiring managers',
          parameters: [
            idParameter('interview'),
            {
              name: 'doc',
              in: 'path',
              required: true,
              description: 'Document name, e.g. code or notes.',
              schema: { type: 'string', pattern: '^[a-z][a-z0-9-]{0,31}$' }
            }
          ],
          responses: { '201': { description: 'Created' }, ...errors(401, 403, 404) }
        }
      },
      '/interviews/{id}/session/token': {
        post: {
          operationId: 'createSessionToken',
          summary:
            'A token (valid 5 minutes) that admits the caller to the interview’s live session over socket.io at /session (websocket transport, auth: { token }); read-only for hiring managers',
          parameters: [idParameter('interview')],
          responses: { '201': { description: 'Created' }, ...errors(401, 403, 404) }
        }
      },
      '/interviews/{id}/video/token': {
        post: {
          operationId: 'createVideoToken',
          summary:
            'How the caller joins the interview’s call: { mode: "p2p", iceServers, canPublish } without LiveKit, or { mode: "livekit", url, token, room, canPublish, expiresInSeconds } with a short-lived LiveKit token for the room interview-{id}; hiring managers subscribe only and stay hidden (docs/video.md)',
          parameters: [idParameter('interview')],
          responses: { '201': ok('VideoConfig', 'Created'), ...errors(401, 403, 404) }
        }
      },
      '/livekit/webhook': {
        post: {
          operationId: 'receiveLiveKitWebhook',
          summary:
            'LiveKit’s webhook. Authenticated by LiveKit’s signature, not a Tandem token: Authorization carries a JWT signed with LIVEKIT_API_KEY/LIVEKIT_API_SECRET whose sha256 claim is the hash of the exact body. Joins, leaves, the room closing and recordings of rooms interview-{id} go on that interview’s timeline; other events and rooms are acknowledged and ignored. 404 when LiveKit is not configured.',
          security: [],
          requestBody: {
            required: true,
            content: { 'application/webhook+json': { schema: { type: 'object' } } }
          },
          responses: {
            '200': {
              description: 'Verified; `recorded` is the timeline kind written, or null',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      received: { const: true },
                      recorded: {
                        enum: [...VIDEO_EVENT_KINDS, null]
                      }
                    },
                    required: ['received', 'recorded']
                  }
                }
              }
            },
            ...errors(401, 404, 413)
          }
        }
      },
      '/interviews/{id}/transcript': {
        get: {
          operationId: 'getTranscript',
          summary:
            'The AI interview’s transcript (speaker, text, time, the question and rubric dimension each message served) and its latest evaluation',
          parameters: [idParameter('interview')],
          responses: { '200': { description: 'OK' }, ...errors(401, 403, 404) }
        }
      },
      '/candidates': {
        get: {
          operationId: 'listCandidates',
          summary: 'List candidates by name',
          parameters: queryParameters(listCandidatesQuerySchema),
          responses: { '200': ok('CandidatePage'), ...errors(400, 401, 403) }
        },
        post: {
          operationId: 'createCandidate',
          summary: 'Create a candidate',
          requestBody: jsonBody('CreateCandidate'),
          responses: { '201': ok('Candidate'), ...errors(400, 401, 403, 409, 413) }
        }
      },
      '/runs': {
        post: {
          operationId: 'createRun',
          summary:
            'Run code in the sandbox. Answers 201 with the finished run; with Accept: application/x-ndjson, streams {type:"output"} lines as the program prints, then {type:"result"}.',
          requestBody: jsonBody('CreateRun'),
          responses: {
            '201': ok('Run', 'The finished run, whatever the program did'),
            ...errors(400, 401, 403, 404, 413, 422, 503)
          }
        }
      },
      '/runs/{id}': {
        get: {
          operationId: 'getRun',
          summary: 'Get a run',
          parameters: [idParameter('run')],
          responses: { '200': ok('Run'), ...errors(401, 403, 404) }
        }
      },
      '/languages': {
        get: {
          operationId: 'listLanguages',
          summary: 'Languages the runners offer, with the Debian package of any that is missing',
          responses: { '200': { description: 'OK' }, ...errors(401) }
        }
      },
      '/candidates/{id}': {
        get: {
          operationId: 'getCandidate',
          summary: 'Get a candidate with their interviews',
          parameters: [idParameter('candidate')],
          responses: { '200': ok('CandidateWithInterviews'), ...errors(401, 403, 404) }
        }
      }
    }
  };
}
