// The dev exchange for tests: partner keys on disk (private 0600), a password, and the values a
// notebook should compute from its decrypted records, worked out independently of the service.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from './browser.js';
import {
  generatePartnerKeysets,
  openCommonHealthRecord,
  parseKeyset
} from '../../hub-service/src/data/tink/index.js';
import {
  signIn,
  startDevExchange,
  type IDevExchange
} from '../../hub-service/src/dev-exchange/index.js';

export interface ITestExchange {
  jhe: IDevExchange;
  url: string;
  password: string;
  /** The partner private keyset file the service is configured with. */
  partnerKeyset: string;
  dir: string;
  /** Registers a public sign-in client (a hub) and its callback with the exchange. */
  registerClient(clientId: string, redirectUri: string): void;
  /** A JHE access token for a user, by the authorization-code flow with PKCE. */
  tokenFor(user: string): Promise<string>;
  /** examples/jhe-heart-rate's summary.csv, computed from the study's decrypted heart rates. */
  expectedBands(studyId: number): string;
  stop(): Promise<void>;
}

export async function startTestExchange(
  patients = 6,
  perPatientPerCode = 120
): Promise<ITestExchange> {
  const keys = generatePartnerKeysets();
  const dir = mkdtempSync(join(tmpdir(), 'hbroker-exchange-'));
  const partnerKeyset = join(dir, 'partner.json');
  writeFileSync(partnerKeyset, keys.privateKeyset, { mode: 0o600 });
  const password = 'dev-exchange-test-password';
  const jhe = await startDevExchange({
    host: '127.0.0.1',
    port: 0,
    password,
    partnerPublic: parseKeyset(keys.publicKeyset),
    patients,
    perPatientPerCode,
    seed: 'jhe-e2e'
  });
  const partner = parseKeyset(keys.privateKeyset);
  return {
    jhe,
    url: jhe.url,
    password,
    partnerKeyset,
    dir,
    registerClient(clientId, redirectUri) {
      jhe.oauth.clients.registerSignIn(clientId, [redirectUri]);
    },
    async tokenFor(user) {
      return (await signIn(jhe, user, password)).access_token;
    },
    expectedBands(studyId) {
      const ids = new Set(jhe.data.studies.find(s => s.study.id === studyId)!.patientIds);
      const counts = [0, 0, 0];
      for (const o of jhe.data.observations) {
        if (
          !ids.has(Number(o.subject.reference.slice(8))) ||
          o.code.coding[0].code !== 'omh:heart-rate:2.0'
        ) {
          continue;
        }
        const envelope = JSON.parse(Buffer.from(o.valueAttachment.data, 'base64').toString());
        const bpm = JSON.parse(openCommonHealthRecord(partner, envelope).toString()).body.heart_rate
          .value as number;
        counts[bpm < 70 ? 0 : bpm < 85 ? 1 : 2] += 1;
      }
      return `band,observations\n<70,${counts[0]}\n70-84,${counts[1]}\n85+,${counts[2]}\n`;
    },
    async stop() {
      await jhe.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** Signs a user in to the hub through the exchange's login form, as a browser does (PKCE, the hub's callback). */
export async function signInToHub(
  browser: Browser,
  hubUrl: string,
  exchange: ITestExchange,
  user: string
): Promise<{ loginPage: string; next: string }> {
  const form = await browser.fetch(`${hubUrl}/hub/oauth_login`);
  const loginPage = await form.text();
  const next = (
    /<input type="hidden" name="next" value="([^"]*)">/.exec(loginPage)?.[1] ?? ''
  ).replace(/&#(\d+);/g, (_s, c) => String.fromCharCode(Number(c)));
  await browser.fetch(`${exchange.url}accounts/login/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ next, username: user, password: exchange.password })
  });
  return { loginPage, next };
}
