// Every route declares the policy action that guards it (null = public, e.g. health and
// version discovery). A test walks the route table and fails on any route without one.
declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: string | null;
  }
}

export {};
