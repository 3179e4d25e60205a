// The bare Fastify baseline as its own process: the same JSON round trip an incident report makes
// (parse the body, answer 201 with an id), without validation, storage or auth. Prints its URL.
import Fastify from 'fastify';
import { newId } from '../server/src/platform/ids.ts';

const bare = Fastify();
bare.post('/bare', async (req, reply) =>
  reply.status(201).send({ id: newId(), echo: (req.body as object) ?? null }),
);
await bare.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`listening http://127.0.0.1:${(bare.server.address() as { port: number }).port}/bare\n`);
process.on('SIGTERM', () => void bare.close().then(() => process.exit(0)));
