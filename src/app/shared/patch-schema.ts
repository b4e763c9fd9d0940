import { z } from 'zod';

type WithoutDefault<S> = S extends z.ZodDefault<infer Inner> ? Inner : S;
export type PatchShape<Shape extends z.ZodRawShape> = { [K in keyof Shape]: z.ZodOptional<WithoutDefault<Shape[K]>> };

/**
 * The PATCH form of a create schema: every field optional, unknown fields rejected, and no defaults.
 * zod 4's `.partial()` keeps `.default()`s, so a partial change would silently reset every omitted
 * field to its default (a renamed supervisor became an agent with no groups).
 */
export function patchSchema<Shape extends z.ZodRawShape>(schema: z.ZodObject<Shape>): z.ZodObject<PatchShape<Shape>, z.core.$strict> {
  const shape: Record<string, z.core.$ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    shape[key] = z.optional(field instanceof z.ZodDefault ? field.unwrap() : field);
  }
  return z.strictObject(shape) as unknown as z.ZodObject<PatchShape<Shape>, z.core.$strict>;
}
