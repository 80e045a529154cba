// The streamed submission: multipart/form-data with a "manifest" part (JSON) and then a "bundle" part
// (the tar), read with busboy so the tar reaches the bundle receiver as a stream, never whole.
import busboy from 'busboy';
import type { Request } from 'express';
import type { Readable } from 'node:stream';
import { shownPath } from '../bundle/paths.js';
import { badRequest, HBrokerError } from '../errors.js';
import { ignoreFileName } from '../bundle/rules.js';

export interface IStreamedLimits {
  /** Largest manifest part, in bytes. */
  manifestBytes: number;
  /** Largest bundle part (the tar with its headers), in bytes. */
  bundleBytes: number;
}

/** A part's name as a sentence may quote it (busboy gives none for a part without one). */
const partName = (name: string | undefined) =>
  name ? `"${shownPath(String(name).slice(0, 64))}"` : 'without a name';

const form =
  'Send multipart/form-data with a "manifest" part (the JSON manifest) and then a "bundle" part (the tar of the notebook folder).';

/**
 * Parses the request as it arrives and hands the manifest and the tar stream to `take`, which must
 * consume the stream; resolves with what `take` returns, or rejects with a sentence for the caller.
 */
export function readStreamedSubmission<T>(
  request: Request,
  limits: IStreamedLimits,
  take: (manifest: unknown, tarball: Readable) => Promise<T>
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        limits: {
          fields: 1,
          files: 1,
          parts: 2,
          fieldNameSize: 64,
          fieldSize: limits.manifestBytes,
          fileSize: limits.bundleBytes,
          headerPairs: 16
        }
      });
    } catch (e) {
      reject(badRequest('invalid_multipart', `${(e as Error).message}. ${form}`));
      return;
    }
    let manifest: unknown;
    let work: Promise<T> | undefined;
    let bundle: Readable | undefined;
    let settled = false;
    const fail = (e: unknown) => {
      if (!settled) {
        settled = true;
        request.unpipe(parser);
        reject(e);
      }
    };
    // A throw inside a busboy handler would end the process: every handler refuses instead.
    const guarded =
      <A extends unknown[]>(handler: (...args: A) => void) =>
      (...args: A) => {
        try {
          handler(...args);
        } catch (e) {
          fail(e);
        }
      };
    parser.on(
      'field',
      guarded((name: string, value: string, info: busboy.FieldInfo) => {
        if (name !== 'manifest') {
          fail(badRequest('invalid_multipart', `The part ${partName(name)} is unknown. ${form}`));
        } else if (info.valueTruncated) {
          fail(
            new HBrokerError(
              'manifest_too_large',
              `The manifest part is larger than ${Math.round(limits.manifestBytes / 1024)} KiB. Send a shorter justification or fewer outputs.`,
              413
            )
          );
        } else {
          try {
            manifest = JSON.parse(value);
          } catch (e) {
            fail(
              badRequest(
                'invalid_json',
                `The manifest part is not valid JSON (${(e as Error).message}). Send the manifest as a JSON object.`
              )
            );
          }
        }
      })
    );
    parser.on(
      'file',
      guarded((name: string, stream: Readable) => {
        if (name !== 'bundle' || manifest === undefined || settled) {
          stream.resume();
          fail(
            badRequest(
              'invalid_multipart',
              name !== 'bundle'
                ? `The part ${partName(name)} is unknown. ${form}`
                : `The bundle part came before the manifest part. ${form}`
            )
          );
          return;
        }
        stream.on('limit', () =>
          stream.destroy(
            new HBrokerError(
              'bundle_too_large',
              `The bundle part is larger than this service accepts (${Math.round(limits.bundleBytes / 1048576)} MB). Add large files to ${ignoreFileName}.`,
              413
            )
          )
        );
        bundle = stream;
        work = take(manifest, stream);
        work.then(result => {
          if (!settled) {
            settled = true;
            resolve(result);
          }
        }, fail);
      })
    );
    // busboy signals "partsLimit" on reaching two parts (later ones are skipped), these two on exceeding.
    for (const limit of ['filesLimit', 'fieldsLimit'] as const) {
      parser.on(limit, () =>
        fail(badRequest('invalid_multipart', `The request has more than two parts. ${form}`))
      );
    }
    parser.on('error', e =>
      fail(
        badRequest(
          'invalid_multipart',
          `The request could not be read (${(e as Error).message}). ${form}`
        )
      )
    );
    parser.on('close', () => {
      if (!work) {
        fail(badRequest('invalid_multipart', `The request has no bundle part. ${form}`));
      }
    });
    // A client that goes away mid-upload ends the bundle stream too, so its scratch folder is removed.
    request.on('close', () => {
      if (!request.complete) {
        const aborted = Object.assign(new Error('request aborted'), { type: 'request.aborted' });
        bundle?.destroy(aborted);
        fail(aborted);
      }
    });
    request.pipe(parser);
  });
}
