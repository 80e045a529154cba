// The dev exchange's login form for the authorization-code flow (clearly marked as a dev server).
const escape = (s: string) => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);

export function loginPage(params: URLSearchParams, error?: string): string {
  const hidden = [...params.entries()]
    .filter(([k]) => !['username', 'password'].includes(k))
    .map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>HBroker dev exchange: sign in</title></head>
<body style="font-family: sans-serif; max-width: 28em; margin: 3em auto">
<p style="background:#fde68a;padding:.5em"><strong>Development server.</strong> This is HBroker's
stand-in for a JupyterHealth Exchange, with synthetic demo data only. Never use it for real data.</p>
<h1>Sign in</h1>
${error ? `<p role="alert" style="color:#b91c1c">${escape(error)}</p>` : ''}
<form method="post">${hidden}
<p><label>User name <input name="username" autocomplete="username" required autofocus></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">Sign in</button></p>
</form></body></html>`;
}
