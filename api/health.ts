// Liveness and readiness. /healthz answers while the process runs; /readyz checks every
// part the API needs (Temporal, the event store) and names the ones that are down.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

export interface ReadinessCheck {
  name: string;
  /** Throws (or rejects) when the part is unreachable. */
  check(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 2000;

async function runCheck(part: ReadinessCheck): Promise<{ name: string; ok: boolean; error?: string }> {
  const { name } = part;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([part.check(), timeout]);
    return { name, ok: true };
  } catch (error) {
    return { name, ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

const partStatus = z.object({ name: z.string(), ok: z.boolean(), error: z.string().optional() });

export const healthRoutes: FastifyPluginAsyncZod<{ checks: ReadinessCheck[] }> = async (app, { checks }) => {
  app.get(
    '/healthz',
    { schema: { summary: 'Liveness', response: { 200: z.object({ status: z.literal('ok') }) } }, config: { policy: null } },
    () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness: every dependency reachable',
        response: { 200: z.object({ status: z.literal('ready'), parts: z.array(partStatus) }), 503: z.object({ status: z.literal('unavailable'), parts: z.array(partStatus) }) },
      },
      config: { policy: null },
    },
    async (_request, reply) => {
      const parts = await Promise.all(checks.map(runCheck));
      if (parts.every((part) => part.ok)) return reply.status(200).send({ status: 'ready' as const, parts });
      return reply.status(503).send({ status: 'unavailable' as const, parts });
    },
  );
};
