// Which methods the API answers on a path, read from the routers themselves, for 405 and its Allow header.
import type { Router } from 'express';

interface ILayer {
  match(path: string): { path: string } | false;
  route?: { methods: Record<string, boolean> };
  handle: { stack?: ILayer[] };
}

/** The methods the router's routes answer at `path` (HEAD wherever GET), sorted; none for an unknown path. */
export function allowedMethods(router: Router, path: string): string[] {
  const found = new Set<string>();
  const walk = (stack: ILayer[], at: string) => {
    for (const layer of stack) {
      const match = layer.match(at);
      if (!match) {
        continue;
      }
      if (layer.route) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') {
            found.add(method.toUpperCase());
          }
        }
      } else if (layer.handle.stack) {
        walk(layer.handle.stack, at.slice(match.path.length) || '/');
      }
    }
  };
  walk((router as unknown as { stack: ILayer[] }).stack, path);
  if (found.has('GET')) {
    found.add('HEAD');
  }
  return [...found].sort();
}
