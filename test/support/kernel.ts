// Runs code in a kernel of a user's Jupyter server (through the hub's proxy), as code in a notebook would.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

export async function runInUserServer(
  serverUrl: string,
  token: string,
  code: string,
  timeoutMs = 180000
): Promise<string> {
  const auth = { Authorization: `token ${token}` };
  const created = await fetch(`${serverUrl}api/kernels`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'python3' })
  });
  if (!created.ok) {
    throw new Error(`kernel: ${created.status} ${await created.text()}`);
  }
  const { id } = (await created.json()) as { id: string };
  const ws = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}api/kernels/${id}/channels`, {
    headers: auth
  });
  const msgId = randomUUID();
  try {
    return await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`kernel did not finish: ${out}`)), timeoutMs);
      ws.on('error', reject);
      ws.on('open', () => {
        ws.send(
          JSON.stringify({
            header: {
              msg_id: msgId,
              username: 'test',
              session: randomUUID(),
              msg_type: 'execute_request',
              version: '5.3',
              date: new Date().toISOString()
            },
            parent_header: {},
            metadata: {},
            content: {
              code,
              silent: false,
              store_history: false,
              user_expressions: {},
              allow_stdin: false,
              stop_on_error: true
            },
            channel: 'shell',
            buffers: []
          })
        );
      });
      ws.on('message', data => {
        const msg = JSON.parse(String(data));
        if (msg.parent_header?.msg_id !== msgId) {
          return;
        }
        if (msg.msg_type === 'stream') {
          out += msg.content.text;
        } else if (msg.msg_type === 'error') {
          out += `${msg.content.ename}: ${msg.content.evalue}`;
        } else if (msg.msg_type === 'status' && msg.content.execution_state === 'idle') {
          clearTimeout(timer);
          resolve(out);
        }
      });
    });
  } finally {
    ws.close();
    await fetch(`${serverUrl}api/kernels/${id}`, { method: 'DELETE', headers: auth });
  }
}
