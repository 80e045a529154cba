// Inside a sandbox: the JHE facade on the sandbox's own loopback, serving that job's staged study.
import { createServer } from 'node:http';
import { readStagedStudy } from '../dataset/read.js';
import { serveFacadeRequest } from './http.js';
import { stagedStudyView } from './staged.js';

// The runner passes a random per-run token (never a real JHE token) and reads the port we print.
const dataDir = process.argv[2] ?? '/data';
const token = process.env.HBROKER_FACADE_TOKEN;
if (!token) {
  process.stderr.write('HBROKER_FACADE_TOKEN is not set\n');
  process.exit(2);
}
const view = stagedStudyView(readStagedStudy(dataDir));
const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
  void serveFacadeRequest(request, response, url.pathname, url, async t =>
    t === token ? view : undefined
  ).catch(() => {
    response.writeHead(500);
    response.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(
    JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }) + '\n'
  );
});
