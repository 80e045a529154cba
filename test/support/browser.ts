// A minimal browser for OAuth tests: a cookie jar with path scoping, and redirects followed one by one.

export class Browser {
  private jar = new Map<string, { name: string; value: string; path: string }>();
  readonly hops: string[] = [];
  /** The URL of the last response (after redirects), where a form on that page posts to. */
  lastUrl = '';

  /** A cookie's value, by name and (optionally) the path it was set for. */
  cookie(name: string, path?: string): string | undefined {
    return [...this.jar.values()].find(
      c => c.name === name && (path === undefined || c.path === path)
    )?.value;
  }

  private header(url: URL): string {
    return [...this.jar.entries()]
      .filter(([, c]) => url.pathname.startsWith(c.path))
      .map(([, c]) => `${c.name}=${c.value}`)
      .join('; ');
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map(s => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attributes.find(a => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const expired = attributes.some(
        a => /^max-age=0$/i.test(a) || /^expires=thu, 01 jan 1970/i.test(a)
      );
      // Cookies of the same name on different paths are different cookies.
      if (expired || value === '') {
        this.jar.delete(`${path} ${name}`);
      } else {
        this.jar.set(`${path} ${name}`, { name, value, path });
      }
    }
  }

  /** One request with this browser's cookies; redirects are followed (and recorded) unless `follow` is false. */
  async fetch(input: string, init: RequestInit & { follow?: boolean } = {}): Promise<Response> {
    let url = new URL(input);
    let request: RequestInit = init;
    for (let i = 0; i < 20; i++) {
      const response = await fetch(url, {
        ...request,
        redirect: 'manual',
        headers: {
          Accept: 'text/html,application/json',
          ...(request.headers ?? {}),
          Cookie: this.header(url)
        }
      });
      this.remember(response);
      this.lastUrl = url.toString();
      const location = response.headers.get('location');
      if (init.follow === false || response.status < 300 || response.status >= 400 || !location) {
        return response;
      }
      url = new URL(location, url);
      this.hops.push(url.pathname);
      request = { method: 'GET' };
    }
    throw new Error('too many redirects');
  }
}
