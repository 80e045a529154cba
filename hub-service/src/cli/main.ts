// The hbroker command line: serve, submit, jobs, doctor, audit verify, token hash.
import { Command, Option } from 'commander';
import { tokenSha256 } from '../api/auth.js';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAudit } from '../audit/index.js';
import { generatePartnerKeysets } from '../data/tink/index.js';
import { loadConfig } from '../config/index.js';
import { locateConfig } from '../config/locate.js';
import { HBrokerError } from '../errors.js';
import { startService } from '../service.js';
import { SqliteStore } from '../store/index.js';
import { serviceVersion } from '../version.js';
import { archiveExportCommand } from './archive.js';
import { devExchangeCommand, type IDevExchangeCommandOptions } from './dev-exchange.js';
import { doctorCommand } from './doctor.js';
import { jobsCommand } from './jobs.js';
import { reproduceCommand } from './reproduce.js';
import { submitCommand } from './submit.js';

const program = new Command('hbroker')
  .version(serviceVersion)
  .description('HBroker: run notebooks on sensitive data, release only vetted outputs');
const configOption = new Option(
  '-c, --config <file>',
  'service config (JSON); default $HBROKER_CONFIG'
);
const urlOption = new Option(
  '--url <url>',
  'service URL; default $HBROKER_URL or http://127.0.0.1:8765'
);
const tokenOption = new Option(
  '--token-file <file>',
  'file holding the API token; default $HBROKER_TOKEN'
);

const run =
  (action: (...args: any[]) => Promise<number | void>) =>
  async (...args: any[]) => {
    try {
      const code = await action(...args);
      if (typeof code === 'number') {
        process.exitCode = code;
      }
    } catch (e) {
      if (e instanceof HBrokerError) {
        console.error(`hbroker: ${e.message}`);
        for (const d of e.details) {
          console.error(`  - ${d}`);
        }
      } else {
        console.error(`hbroker: ${(e as Error).stack ?? e}`);
      }
      process.exitCode = 2;
    }
  };

program
  .command('serve')
  .description('run the broker service')
  .addOption(configOption)
  .action(
    run(async (options: { config?: string }) => {
      const service = await startService(loadConfig(options.config));
      console.log(`hbroker: serving on ${service.url}`);
      const stop = () => void service.close().then(() => process.exit(0));
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    })
  );

program
  .command('submit <notebook>')
  .description('submit a notebook (with its folder) for a sensitive run')
  .requiredOption('--study <id>', 'the study whose data the run reads')
  .option('-o, --output <path...>', 'files or folders the run writes that you want back')
  .option('--wait', 'follow the job and download released outputs into sensitive-results/<job>/')
  .option('--json', 'print the job as JSON')
  .option('--justification <text>', 'why you need these outputs, for output checkers')
  .option('--cpus <n>', 'CPU cores', parseFloat)
  .option('--memory <mb>', 'memory in MiB', v => parseInt(v, 10))
  .option('--timeout <s>', 'wall-clock limit in seconds', v => parseInt(v, 10))
  .addOption(urlOption)
  .addOption(tokenOption)
  .action(
    run((notebook: string, options) =>
      submitCommand(notebook, { ...options, tokenFile: options.tokenFile })
    )
  );

program
  .command('jobs')
  .description('list your jobs')
  .option('--json', 'print JSON')
  .addOption(urlOption)
  .addOption(tokenOption)
  .action(run(options => jobsCommand(options)));

program
  .command('doctor')
  .description(
    'check the config, release policy, runtime, engine, base image, store, audit chain and hub roles'
  )
  .addOption(configOption)
  .action(
    run(async (options: { config?: string }) => {
      // As the service finds it (--config, $HBROKER_CONFIG), else where an admin usually keeps it.
      const found = locateConfig(options.config);
      const where = found.path
        ? `config ${found.path} (${found.source})`
        : `no config file (looked at ${found.looked.join(', ')}): checking the built-in defaults`;
      return doctorCommand(loadConfig(found.path), where);
    })
  );

const audit = program.command('audit').description('the audit log');
audit
  .command('verify')
  .description('recompute the hash chain; names any entry edited, removed or reordered')
  .addOption(configOption)
  .action(
    run(async (options: { config?: string }) => {
      const store = new SqliteStore(loadConfig(options.config).store.path);
      const verdict = verifyAudit(store.audit());
      store.close();
      if (verdict.ok) {
        console.log(`audit chain intact: ${verdict.entries} entries`);
        return 0;
      }
      console.log(`audit chain BROKEN (${verdict.entries} entries):`);
      for (const p of verdict.problems) {
        console.log(`  - ${p}`);
      }
      return 1;
    })
  );

program
  .command('keys')
  .description('partner keys for CommonHealth-encrypted data')
  .command('generate')
  .description('write a partner private keyset (mode 0600) and its public keyset, in Tink JSON')
  .option('--out-dir <dir>', 'where to write them', '.')
  .action(
    run(async (options: { outDir: string }) => {
      const privatePath = join(options.outDir, 'partner-private-keyset.json');
      const publicPath = join(options.outDir, 'partner-public-keyset.json');
      if (existsSync(privatePath)) {
        throw new HBrokerError(
          'key_exists',
          `${privatePath} exists; HBroker never overwrites a private key. Move it away first.`
        );
      }
      const { privateKeyset, publicKeyset } = generatePartnerKeysets();
      mkdirSync(options.outDir, { recursive: true });
      writeFileSync(privatePath, privateKeyset, { mode: 0o600, flag: 'wx' });
      writeFileSync(publicPath, publicKeyset, { mode: 0o644 });
      console.log(`wrote ${privatePath} (keep it secret: only the broker reads it)`);
      console.log(`wrote ${publicPath} (give this to the data bank)`);
      return 0;
    })
  );

program
  .command('dev-exchange')
  .description(
    'DEV ONLY: a JupyterHealth Exchange stand-in with encrypted synthetic demo studies, for the demo and tests'
  )
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--port <port>', 'port (0: any free one)', '8001')
  .option(
    '--state-dir <dir>',
    'where its partner keys and demo password are kept',
    '.hbroker/dev-exchange'
  )
  .option('--patients <n>', 'patients per demo study', '20')
  .option('--per-patient <n>', 'observations per patient per code', '120')
  .option('--json', 'print its URL and files as one JSON line')
  .option(
    '--client <id=redirect_uri...>',
    'a public sign-in client (e.g. a hub) and its exact OAuth callback; repeat for more',
    (value: string, previous: string[] = []) => [...previous, value]
  )
  .action(run((options: IDevExchangeCommandOptions) => devExchangeCommand(options)));

program
  .command('token-hash')
  .description('print the SHA-256 of a token read from stdin, for auth.tokens in the config')
  .action(
    run(async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) {
        chunks.push(c as Buffer);
      }
      console.log(tokenSha256(Buffer.concat(chunks).toString('utf8').trim()));
      return 0;
    })
  );

program
  .command('archive')
  .description("a job's archive")
  .command('export <job>')
  .description(
    'write the job as a Workflow Run RO-Crate: bundle, spec, image ids, hashes; never data'
  )
  .option('--out <dir>', 'folder to write; default ./<job>-crate')
  .addOption(configOption)
  .action(
    run(async (job: string, options: { out?: string; config?: string }) =>
      archiveExportCommand(loadConfig(options.config), job, options.out)
    )
  );

program
  .command('reproduce <job>')
  .description(
    're-run a job on its image and dataset version; say whether each output hash matches'
  )
  .option('--json', 'print the comparison as JSON')
  .addOption(configOption)
  .action(
    run(async (job: string, options: { json?: boolean; config?: string }) =>
      reproduceCommand(loadConfig(options.config), job, options)
    )
  );

await program.parseAsync(process.argv);
