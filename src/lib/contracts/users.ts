import { z } from 'zod';
import { emailSchema, nameSchema, plainText, roleSchema } from './common';

export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 128;

export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD, `must be at least ${MIN_PASSWORD} characters`)
  .max(MAX_PASSWORD, `must be at most ${MAX_PASSWORD} characters`);

export const loginSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, 'is required').max(MAX_PASSWORD)
});

export const inviteSchema = z.object({
  name: nameSchema,
  email: emailSchema,
  role: roleSchema
});

export const acceptInviteSchema = z
  .object({
    name: nameSchema,
    password: passwordSchema,
    confirm: z.string()
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'does not match' });

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, 'is required').max(MAX_PASSWORD),
    newPassword: passwordSchema,
    confirm: z.string()
  })
  .refine((v) => v.newPassword === v.confirm, { path: ['confirm'], message: 'does not match' })
  .refine((v) => v.newPassword !== v.currentPassword, {
    path: ['newPassword'],
    message: 'must differ from the current password'
  });

export const createTokenSchema = z.object({
  name: plainText(100)
    .transform((v) => v.trim())
    .pipe(z.string().min(1, 'must not be empty'))
});
