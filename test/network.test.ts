// The sandbox has no network: only lo, no route; HTTP, DNS and raw sockets to a sink all fail; the sink sees nothing.
import assert from 'node:assert/strict';
import Docker from 'dockerode';
import { after, before, describe, it } from 'node:test';
import { file, notebook, submission } from './support/notebook.js';
import { finished, startTestService, type ITestService } from './support/service.js';
import { startSink, type ISink } from './support/sink.js';

const probe = `
import json, os, socket, urllib.request
sink = open("sink.txt").read().strip()
result = {}
def attempt(name, fn):
    try:
        fn(); result[name] = "reached"
    except Exception as e:
        result[name] = type(e).__name__
attempt("http", lambda: urllib.request.urlopen(f"http://{sink}/", timeout=3).read())
def dns():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(3)
    query = b"\\x12\\x34\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x04sink\\x04test\\x00\\x00\\x01\\x00\\x01"
    s.sendto(query, (sink, 53)); s.recvfrom(512)
attempt("dns", dns)
attempt("dns_name", lambda: socket.getaddrinfo("sink.test", 80))
attempt("tcp", lambda: socket.create_connection((sink, 9000), timeout=3).sendall(b"x"))
attempt("raw", lambda: socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP).sendto(b"\\x08\\x00\\xf7\\xff\\x00\\x00\\x00\\x00", (sink, 0)))
result["interfaces"] = sorted(os.listdir("/sys/class/net"))
result["routes"] = open("/proc/net/route").read().splitlines()[1:]
result["routes6"] = [l for l in open("/proc/net/ipv6_route").read().splitlines() if not l.split()[-1] == "lo"] if os.path.exists("/proc/net/ipv6_route") else []
json.dump(result, open("net.json", "w"))
`;

for (const runtime of ['runc', 'runsc'] as const) {
  describe(`network isolation (${runtime})`, () => {
    let hb: ITestService;
    let sink: ISink;
    before(async () => {
      hb = await startTestService({ executor: { runtime } });
      sink = await startSink(new Docker(), hb.config.executor.image);
    });
    after(async () => {
      await sink?.remove();
      await hb.stop();
    });

    it('cuts the sandbox off while the sink is reachable from its own network', async () => {
      await sink.control();
      const hitsBefore = (await sink.hits()).length;
      assert.equal(
        hitsBefore,
        1,
        'the control probe reached the sink, so the sink can see traffic'
      );

      const { body } = await hb.submit(
        await submission([file('analysis.ipynb', notebook(probe)), file('sink.txt', sink.ip)], {
          outputs: ['net.json']
        })
      );
      const job = await hb.waitFor(body.id, finished);
      assert.equal(job.state, 'released', job.reason);
      const net = (await hb.api(`/api/v1/jobs/${job.id}/outputs/net.json`)).body;
      assert.deepEqual(net.interfaces, ['lo']);
      assert.deepEqual(net.routes, []);
      assert.deepEqual(net.routes6, []);
      for (const attempt of ['http', 'dns', 'dns_name', 'tcp', 'raw']) {
        assert.notEqual(net[attempt], 'reached', `${attempt} must fail inside the sandbox`);
      }
      assert.equal(net.raw, 'PermissionError', 'raw sockets need a capability the sandbox lacks');
      assert.equal((await sink.hits()).length, hitsBefore, 'the sink saw nothing from the sandbox');
    });
  });
}
