// What each builder can honour of a spec, checked at submission so a bad file is a 400, not a failed run.
import { badRequest } from '../errors.js';
import type { IEnvironment, ISpecFile, SpecFileName } from './spec.js';

export type BuilderKind = 'dockerfile' | 'repo2docker';

export interface IBuildRules {
  kind: BuilderKind;
  /** Python versions (major.minor) the base image provides. */
  python_versions: string[];
  /** How long one build may take. */
  timeout_seconds?: number;
}

const refuse = (file: ISpecFile, why: string) =>
  badRequest('unsupported_environment', `${file.path}: ${why}`);

/** Why the Dockerfile builder refuses a file; files not listed here are honoured. */
const refusedByDockerfileBuilder: Partial<Record<SpecFileName, string>> = {
  Dockerfile:
    'a Dockerfile cannot be built here: there is no container registry for its FROM, and the run needs the HBroker runner. Describe the environment with requirements.txt, apt.txt and postBuild instead.',
  'environment.yml':
    'the base image has no conda. Put the Python packages in requirements.txt and Debian packages in apt.txt, or ask an admin for the repo2docker builder.',
  Pipfile:
    'Pipenv files are not installed here. Export them with "pipenv requirements > requirements.txt" and remove the Pipfile.',
  'Pipfile.lock':
    'Pipenv files are not installed here. Export them with "pipenv requirements > requirements.txt" and remove Pipfile.lock.',
  'setup.py':
    'installing the folder as a package would put the whole folder into the build, which only ever holds the environment files. List its dependencies in requirements.txt, or add setup.py to .hbrokerignore.',
  'pyproject.toml':
    'installing the folder as a package would put the whole folder into the build, which only ever holds the environment files. List its dependencies in requirements.txt, or add pyproject.toml to .hbrokerignore.',
  DESCRIPTION:
    'R packages from a DESCRIPTION file are not installed here. Use apt.txt with r-base-core and Debian r-cran-* packages, or install.R.',
  'Project.toml':
    'the base image has no Julia. Use a Python or R kernel, or ask an admin for the repo2docker builder.'
};

/** Both builders: the sandbox's entry point is the runner, and a start script would run beside the data. */
const startRefusal =
  'start scripts are not run: the sandbox starts the HBroker runner, and a start script would run with the data. Do the set-up in postBuild instead.';

/** Throws a 400 naming the first file the chosen builder cannot honour. */
export function checkEnvironment(env: IEnvironment, rules: IBuildRules): void {
  for (const file of env.files) {
    if (file.name === 'start') {
      throw refuse(file, startRefusal);
    }
    if (rules.kind === 'repo2docker') {
      continue;
    }
    const why = refusedByDockerfileBuilder[file.name];
    if (why) {
      throw refuse(file, why);
    }
    if (file.name === 'runtime.txt') {
      pythonVersion(file, rules.python_versions);
    } else if (file.name === 'requirements.txt') {
      checkRequirements(file);
    } else if (file.name === 'apt.txt') {
      aptPackages(file);
    }
  }
}

/** The major.minor Python a runtime.txt asks for, if the base provides it. */
export function pythonVersion(file: ISpecFile, provided: string[]): string {
  const text = file.content.toString('utf8').trim();
  const which = `This service's base image provides Python ${provided.join(', ')}`;
  const python = /^python-(\d+)\.(\d+)(\.\d+)?$/.exec(text);
  if (!python) {
    throw refuse(
      file,
      /^r-/.test(text)
        ? `R runtimes ("${text.slice(0, 40)}") are not honoured. Put r-base-core and r-cran-irkernel (R 4.2 from Debian 12) in apt.txt instead.`
        : `"${text.slice(0, 40)}" is not a runtime this builder knows; write python-X.Y. ${which}.`
    );
  }
  const version = `${python[1]}.${python[2]}`;
  if (!provided.includes(version)) {
    throw refuse(
      file,
      `asks for Python ${version}, which this service cannot provide. ${which}: write python-${provided[0]} in runtime.txt, or remove it.`
    );
  }
  return version;
}

/** Logical lines of a requirements-style file: comments stripped, continuations joined. */
function logicalLines(file: ISpecFile): { n: number; text: string }[] {
  const lines: { n: number; text: string }[] = [];
  let pending = '';
  let start = 0;
  file.content
    .toString('utf8')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = raw.replace(/(^|\s)#.*$/, '');
      if (!pending) {
        start = i + 1;
      }
      if (line.endsWith('\\')) {
        pending += line.slice(0, -1) + ' ';
        return;
      }
      const text = (pending + line).trim();
      pending = '';
      if (text) {
        lines.push({ n: start, text });
      }
    });
  return lines;
}

/** requirements.txt is installed with pip in a build that holds no other file of the folder. */
function checkRequirements(file: ISpecFile): void {
  for (const { n, text } of logicalLines(file)) {
    const show = `line ${n} ("${text.slice(0, 60)}")`;
    if (/^(-r|--requirement|-c|--constraint)\b/.test(text)) {
      throw refuse(
        file,
        `${show} includes another file; the build holds only the environment files. Copy its lines into requirements.txt.`
      );
    }
    if (/^(-e|--editable)\b/.test(text) || /^(\.|\/|file:)/.test(text) || /@\s*file:/.test(text)) {
      throw refuse(
        file,
        `${show} installs from a local path, which the build does not have. Pin the package from PyPI (name==version) instead.`
      );
    }
    if (/^git\+|@\s*git\+/.test(text)) {
      throw refuse(
        file,
        `${show} installs from git, which the base image lacks. Pin a release from PyPI (name==version) instead.`
      );
    }
  }
}

const debianPackage = /^[a-z0-9][a-z0-9+.-]+(=[A-Za-z0-9.+~:-]+)?$/;

/** apt.txt: Debian package names, one or more per line, optionally name=version. */
export function aptPackages(file: ISpecFile): string[] {
  const packages: string[] = [];
  for (const { n, text } of logicalLines(file)) {
    for (const word of text.split(/\s+/)) {
      if (!debianPackage.test(word)) {
        throw refuse(
          file,
          `line ${n}: "${word.slice(0, 60)}" is not a Debian package name. List one package per line (name or name=version).`
        );
      }
      packages.push(word);
    }
  }
  return packages;
}
