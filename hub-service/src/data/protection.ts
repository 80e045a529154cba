// hbroker doctor's question for plaintext studies: can a researcher's own JHE token read a study's
// Observations without HBroker? If so, HBroker cannot protect that study from them.
import type { FhirBundle, JheObservation } from '../schema/index.js';
import { JheClient, JheRequestError, type IJheClientOptions } from './jhe/index.js';

import type { DoctorLine } from '../doctor-line.js';

export type { DoctorLine };

const isCiphertext = (o: JheObservation) => {
  try {
    const payload = JSON.parse(
      Buffer.from(o.valueAttachment.data.replace(/\s/g, ''), 'base64').toString('utf8')
    ) as Record<string, unknown>;
    return 'encrypted_dek' in payload && 'encrypted_content' in payload;
  } catch {
    return false;
  }
};

/** One line per (study, user): ok when their token is refused or reads only ciphertext, else a warning. */
export async function protectionLines(
  url: string,
  client: IJheClientOptions,
  researchers: { user: string; token: string | undefined }[],
  /** The studies to check; by default those the user's own token lists (caller identity). */
  studies?: string[]
): Promise<DoctorLine[]> {
  const lines: DoctorLine[] = [];
  for (const { user, token } of researchers) {
    if (!token) {
      lines.push(['warn', `could not check user ${user}: the hub holds no JHE token for them`]);
      continue;
    }
    const jhe = new JheClient(url, token, client);
    let theirs = studies;
    if (!theirs) {
      theirs = [];
      try {
        for await (const s of jhe.list<{ id: number }>('api/v1/studies')) {
          theirs.push(String(s.id));
        }
      } catch (e) {
        lines.push(['warn', `could not check user ${user}: ${(e as Error).message}`]);
        continue;
      }
    }
    for (const study of theirs) {
      try {
        const bundle = await jhe.get<FhirBundle>('FHIR/R5/Observation', {
          'patient._has:Group:member:_id': study,
          _count: 20
        });
        const records = (bundle.entry ?? []).map(e => e.resource as JheObservation);
        if (records.length > 0 && records.every(isCiphertext)) {
          lines.push([
            true,
            `user ${user}'s own JHE token reads study ${study} only as CommonHealth ciphertext`
          ]);
        } else {
          lines.push([
            'warn',
            `HBroker cannot protect study ${study} from user ${user}: their own JHE token reads its Observations${records.length > 0 ? ' in plaintext' : ''} (see "Set JHE up so researchers cannot read studies" in the README)`
          ]);
        }
      } catch (e) {
        const status = e instanceof JheRequestError ? e.status : undefined;
        if (status === 403 || status === 404) {
          lines.push([true, `user ${user}'s own JHE token cannot read study ${study} (${status})`]);
        } else if (status === 401) {
          lines.push([
            'warn',
            `could not check user ${user}: the exchange refused their JHE token (401); check again after they sign in`
          ]);
          break;
        } else {
          lines.push([
            'warn',
            `could not check user ${user} on study ${study}: ${(e as Error).message}`
          ]);
        }
      }
    }
  }
  return lines;
}
