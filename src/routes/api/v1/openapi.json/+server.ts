import { json, methodNotAllowed } from '$lib/server/http/api';
import { publicOrigin } from '$lib/server/http/links';
import { openApiDocument } from '$lib/server/http/openapi';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async (event) => json(openApiDocument(publicOrigin(event)));

export const fallback = methodNotAllowed;
