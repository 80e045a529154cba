// The environment a run gets: repo2docker files found in the folder, or else a pinned requirements
// list and runtime.txt captured from the notebook's running kernel and written into the bundle.
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import type { EnvironmentSpec } from './generated/schema';
import type { ITarFile } from './tar';

export interface IEnvironmentChoice {
  captured_from: NonNullable<EnvironmentSpec['captured_from']>;
  /** The repo2docker files already in the folder (captured_from 'folder'). */
  files: string[];
  /** The file the dialog shows and lets the user edit: requirements.txt or environment.yml. */
  editablePath?: string;
  /** That file's text as found (folder) or as captured (kernel: the pinned requirements). */
  text: string;
  /** runtime.txt's line, e.g. "python-3.11" (kernel captures only). */
  runtime?: string;
}

/** Of the folder's repo2docker files, the one worth showing and editing in the dialog. */
export const editableEnvironmentFile = (files: string[]) =>
  files.find(f => /(^|\/)(requirements\.txt|environment\.yml)$/.test(f));

/** Top-level modules the notebook's code imports (`import a.b`, `from c import d`). */
export function importedModules(sources: string[]): string[] {
  const found = new Set<string>();
  for (const source of sources) {
    for (const m of source.matchAll(
      /^\s*(?:import\s+([\w.]+(?:\s*,\s*[\w.]+)*)|from\s+([\w.]+)\s+import)/gm
    )) {
      for (const name of (m[1] ?? m[2]).split(',')) {
        const top = name.trim().split('.')[0];
        if (top) {
          found.add(top);
        }
      }
    }
  }
  return [...found].sort();
}

/**
 * Python run in the kernel: the distributions that provide the modules the notebook imports (from
 * its code, and what the kernel has loaded), pinned, leaving out the kernel's own machinery
 * (ipykernel and what it needs) and packaging tools, plus the Python version. Prints one JSON line.
 */
export const captureCode = (modules: string[]) => `
def _hbroker_capture(wanted):
    import json, re, sys
    from importlib import metadata
    def norm(n):
        return re.sub(r"[-_.]+", "-", n).lower()
    def needs(dist_name, seen):
        if dist_name in seen:
            return seen
        seen.add(dist_name)
        try:
            requires = metadata.distribution(dist_name).requires or []
        except metadata.PackageNotFoundError:
            return seen
        for r in requires:
            if "extra ==" not in r:
                needs(norm(re.split(r"[ ;<>=!~\\[(]", r, 1)[0]), seen)
        return seen
    skip = needs("ipykernel", set()) | {"pip", "setuptools", "wheel"}
    owners = metadata.packages_distributions()
    modules = set(wanted) | {m.split(".")[0] for m in list(sys.modules)}
    pins = {}
    for module in modules:
        for dist_name in owners.get(module, []):
            try:
                d = metadata.distribution(dist_name)
            except metadata.PackageNotFoundError:
                continue
            if norm(d.metadata["Name"]) not in skip:
                pins[norm(d.metadata["Name"])] = d.version
    print(json.dumps({
        "python": "%d.%d" % sys.version_info[:2],
        "requirements": sorted(f"{k}=={v}" for k, v in pins.items()),
    }))
_hbroker_capture(${JSON.stringify(modules)})
del _hbroker_capture
`;

/** Runs `captureCode` silently in the kernel and reads its one JSON line. */
export async function captureFromKernel(
  kernel: Kernel.IKernelConnection,
  modules: string[]
): Promise<{ requirements: string; runtime: string }> {
  let out = '';
  let failed = '';
  const future = kernel.requestExecute({
    code: captureCode(modules),
    silent: false,
    store_history: false
  });
  future.onIOPub = (msg: KernelMessage.IIOPubMessage) => {
    if (msg.header.msg_type === 'stream') {
      out += (msg.content as KernelMessage.IStreamMsg['content']).text;
    } else if (msg.header.msg_type === 'error') {
      failed = (msg.content as KernelMessage.IErrorMsg['content']).ename;
    }
  };
  await future.done;
  if (failed) {
    throw new Error(`the kernel could not list its packages (${failed})`);
  }
  return parseCapture(out);
}

/** The kernel's JSON line → requirements.txt text and runtime.txt line. */
export function parseCapture(out: string): { requirements: string; runtime: string } {
  const line = out.trim().split('\n').pop() ?? '';
  const parsed = JSON.parse(line) as { python: string; requirements: string[] };
  return {
    requirements: parsed.requirements.join('\n') + (parsed.requirements.length ? '\n' : ''),
    runtime: `python-${parsed.python}`
  };
}

/**
 * The files the bundle gains or replaces and the manifest's environment: a kernel capture writes
 * requirements.txt and runtime.txt; an edited folder file replaces the folder's copy in the bundle
 * only (the user's file is left as it is).
 */
export function environmentForBundle(
  choice: IEnvironmentChoice,
  edited: string
): { extra: ITarFile[]; spec: EnvironmentSpec } {
  const encoder = new TextEncoder();
  if (choice.captured_from === 'folder') {
    const extra =
      choice.editablePath && edited !== choice.text
        ? [{ path: choice.editablePath, content: encoder.encode(edited) }]
        : [];
    return { extra, spec: { files: choice.files, captured_from: 'folder' } };
  }
  const extra: ITarFile[] = [{ path: 'requirements.txt', content: encoder.encode(edited) }];
  if (choice.runtime) {
    extra.push({ path: 'runtime.txt', content: encoder.encode(`${choice.runtime}\n`) });
  }
  return { extra, spec: { files: extra.map(f => f.path), captured_from: 'kernel' } };
}
