import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppInstance } from './platform/http/app-instance.ts';
import { isSecureOrigin } from './platform/http/cookies.ts';
import { registerRequestContext } from './platform/http/context.ts';
import { registerInputGuards } from './platform/http/input-guards.ts';
import { registerErrorHandling, sendProblem } from './platform/http/problem.ts';
import type { Platform } from './platform/platform.ts';
import { createServices, registerJobs, type Services } from './services.ts';
import { authRoutes, oidcRoutes } from './modules/auth/auth.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { jurisdictionRoutes } from './modules/jurisdiction/jurisdiction.routes.ts';
import { notificationRoutes } from './modules/notifications/notifications.routes.ts';
import { registryRoutes } from './modules/registry/registry.routes.ts';
import { tokenRoutes } from './modules/tokens/tokens.routes.ts';
import { userRoutes } from './modules/users/users.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { frameworkRoutes } from './modules/frameworks/frameworks.routes.ts';
import { assessmentRoutes } from './modules/assessments/assessments.routes.ts';
import { incidentRoutes } from './modules/incidents/incidents.routes.ts';
import { supervisionRoutes } from './modules/supervision/supervision.routes.ts';

export const WEB_DIST = path.resolve(import.meta.dirname, '..', '..', 'web', 'dist');
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface AppState {
  shuttingDown: boolean;
}

/** Builds the whole HTTP application from the platform; used by `qila serve` and by tests. */
export async function buildApp(
  p: Platform,
  opts: { serveWeb?: boolean; services?: Services } = {},
): Promise<{ app: AppInstance; state: AppState; services: Services }> {
  const state: AppState = { shuttingDown: false };
  // Services are built once, here or by the caller; the jobs come from them, not from the routes.
  const s = opts.services ?? createServices(p);
  if (!opts.services) registerJobs(p, s);
  const secure = isSecureOrigin(p.config);
  const app = Fastify<Server, IncomingMessage, ServerResponse, FastifyBaseLogger>({
    loggerInstance: p.log,
    trustProxy: p.config.trustProxy,
    bodyLimit: 1024 * 1024,
    // A client may send its own request ID (a load balancer's) if it looks like one.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { coerceTypes: false } },
    // Errors the router raises before any route runs (a malformed URL) still leave as problem+json.
    frameworkErrors: (err, req, reply) => {
      sendProblem(reply, req, err.statusCode ?? 400, 'bad_url', `The address is not valid: ${err.message}.`);
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  registerInputGuards(app);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
    // While shutting down, tell keep-alive clients to reconnect (to another instance).
    if (state.shuttingDown) reply.header('connection', 'close');
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Mantine sets CSS variables through style attributes.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: secure ? [] : null,
      },
    },
    hsts: secure ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      code: 'too_many_requests',
      message: `Too many requests; try again in ${Math.ceil(ctx.ttl / 1000)} seconds.`,
    }),
  });
  await app.register(multipart, {
    limits: { fileSize: p.config.maxUploadBytes, files: 10, fields: 50, parts: 60 },
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Qila API',
        version: '0.1.0',
        description:
          'The API of Qila, the operating platform of a national cyber-security authority. Errors are application/problem+json with a stable `code`.',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'qila_session' } },
      },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { public: true } }, async () =>
    app.swagger(),
  );

  registerRequestContext(app, p.sessions, p.tokens);
  healthRoutes(app, p, state);
  authRoutes(app, p, s);
  oidcRoutes(app, p, s);
  jurisdictionRoutes(app, p);
  notificationRoutes(app, p);
  registryRoutes(app, p, s);
  userRoutes(app, p, s);
  tokenRoutes(app, p, s);
  auditRoutes(app, p, s);
  frameworkRoutes(app, p, s);
  assessmentRoutes(app, p, s);
  incidentRoutes(app, p, s);
  supervisionRoutes(app, p, s);

  const serveWeb = opts.serveWeb ?? true;
  const indexFile = path.join(WEB_DIST, 'index.html');
  if (serveWeb && existsSync(indexFile)) {
    await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', wildcard: false, index: false });
    const indexHtml = readFileSync(indexFile, 'utf8');
    app.get('/', { schema: { hide: true }, config: { public: true } }, async (_req, reply) =>
      reply.type('text/html').send(indexHtml),
    );
    // Client-side routes get the app shell; unknown API paths get a problem.
    app.setNotFoundHandler(async (req, reply) => {
      if (req.method === 'GET' && !req.url.startsWith('/api/') && !path.extname(req.url.split('?')[0]!)) {
        return reply.type('text/html').send(indexHtml);
      }
      return sendProblem(reply, req, 404, 'not_found', `No route ${req.method} ${req.url.split('?')[0]}.`);
    });
  } else {
    app.setNotFoundHandler(async (req, reply) =>
      sendProblem(reply, req, 404, 'not_found', `No route ${req.method} ${req.url.split('?')[0]}.`),
    );
  }
  return { app, state, services: s };
}
