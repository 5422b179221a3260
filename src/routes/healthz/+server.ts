import { sql } from 'drizzle-orm';
import { json } from '$lib/server/http/api';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ locals }) => {
  await locals.runtime.db.execute(sql`select 1`);
  return json({ status: 'ok' });
};
