import { z } from 'zod';

export const roles = ['admin', 'interviewer', 'hiring_manager'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

export const roleLabels: Record<Role, string> = {
  admin: 'Admin',
  interviewer: 'Interviewer',
  hiring_manager: 'Hiring manager'
};

export const emailSchema = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ message: 'must be a valid email address' }))
  .transform((v) => v.toLowerCase());

/** Control characters (NUL above all, which PostgreSQL text refuses) have no place in names. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

export function plainText(max: number) {
  return z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !CONTROL.test(v), 'must not contain control characters');
}

export const nameSchema = plainText(200)
  .transform((v) => v.trim())
  .pipe(z.string().min(1, 'must not be empty'));

export const idSchema = z.uuid({ message: 'must be a UUID' });

export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20)
});

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int()
  });
}
