// The dev exchange's HTML pages: the login form (/accounts/login/, as JHE's) and OAuth error pages,
// each clearly marked as a development server.
const escape = (s: string) => s.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);

const devOnly = `<p style="background:#fde68a;padding:.5em"><strong>Development server (DEV ONLY).</strong>
This is HBroker's stand-in for a JupyterHealth Exchange, with synthetic demo data only. Never use it for real data.</p>`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>HBroker dev exchange: ${escape(title)}</title></head>
<body style="font-family: sans-serif; max-width: 28em; margin: 3em auto">
${devOnly}
${body}
</body></html>`;
}

/** The login form; `next` is where a successful login goes (an authorize URL). */
export function loginPage(next: string, error?: string): string {
  return page(
    'sign in',
    `<h1>Sign in</h1>
${error ? `<p role="alert" style="color:#b91c1c">${escape(error)}</p>` : ''}
<form method="post" action="/accounts/login/">
<input type="hidden" name="next" value="${escape(next)}">
<p><label>User name or email <input name="username" autocomplete="username" required autofocus></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">Sign in</button></p>
</form>`
  );
}

/** An authorize request that cannot go back to the client (unknown client, unregistered redirect URI). */
export function errorPage(message: string): string {
  return page('error', `<h1>${escape(message)}</h1>`);
}
