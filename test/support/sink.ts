// A sink server in its own container on its own internal Docker network: it logs every packet it gets.
import Docker from 'dockerode';
import { randomBytes } from 'node:crypto';

const sinkProgram = `
import socket, threading, sys
def log(what):
    print("HIT", what, flush=True)
def tcp(port):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port)); s.listen(16)
    while True:
        c, a = s.accept(); log(f"tcp:{port} from {a[0]}")
        try:
            c.recv(1024); c.sendall(b"HTTP/1.0 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok")
        finally:
            c.close()
def udp(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", port))
    while True:
        data, a = s.recvfrom(2048); log(f"udp:{port} from {a[0]}")
for p in (80, 9000):
    threading.Thread(target=tcp, args=(p,), daemon=True).start()
threading.Thread(target=udp, args=(53,), daemon=True).start()
print("READY", flush=True)
threading.Event().wait()
`;

export interface ISink {
  ip: string;
  network: string;
  hits(): Promise<string[]>;
  /** Proves the sink works: a container on its network reaches it over HTTP. */
  control(): Promise<void>;
  remove(): Promise<void>;
}

export async function startSink(docker: Docker, image: string): Promise<ISink> {
  const suffix = randomBytes(4).toString('hex');
  const network = await docker.createNetwork({
    Name: `hbroker-test-sink-${suffix}`,
    Internal: true,
    CheckDuplicate: true
  });
  const container = await docker.createContainer({
    name: `hbroker-test-sink-${suffix}`,
    Image: image,
    User: '0:0',
    Entrypoint: ['/opt/hbroker/venv/bin/python', '-u', '-c', sinkProgram],
    HostConfig: { NetworkMode: network.id, LogConfig: { Type: 'json-file', Config: {} } }
  });
  await container.start();
  const logs = async () => {
    const buf = (await container.logs({ stdout: true, stderr: true })) as unknown as Buffer;
    return buf.toString('latin1');
  };
  for (let i = 0; i < 100 && !(await logs()).includes('READY'); i++) {
    await new Promise(r => setTimeout(r, 100));
  }
  const info = await container.inspect();
  const ip = Object.values(info.NetworkSettings.Networks)[0].IPAddress;
  return {
    ip,
    network: network.id,
    hits: async () => (await logs()).split('\n').filter(l => l.includes('HIT ')),
    control: async () => {
      const probe = await docker.createContainer({
        Image: image,
        Entrypoint: [
          '/opt/hbroker/venv/bin/python',
          '-c',
          `import urllib.request; urllib.request.urlopen("http://${ip}/", timeout=5).read()`
        ],
        HostConfig: { NetworkMode: network.id }
      });
      await probe.start();
      const result = (await probe.wait()) as { StatusCode: number };
      await probe.remove({ force: true });
      if (result.StatusCode !== 0) {
        throw new Error('the control probe could not reach the sink');
      }
    },
    remove: async () => {
      await container.remove({ force: true });
      await network.remove();
    }
  };
}
