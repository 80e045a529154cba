// What the checks read of one artifact: its text and its tables, each derived once and shared.
import { extname } from 'node:path';
import type { IArtifactContent, ICandidate } from './index.js';
import { csvTable, dataFrameTables, htmlText, printedTables, type ITable } from './tables.js';

/** Extensions whose files are not text; the checks that read text skip them (images go to review). */
const binaryTypes = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'webp',
  'pdf',
  'zip',
  'gz',
  'xlsx',
  'parquet'
]);

/** The marks of a statsmodels or R model summary (see models.ts). */
const modelSummary = /Df Residuals:|degrees of freedom|Regression Results/;

// eslint-disable-next-line no-control-regex -- tracebacks carry ANSI colour codes
const ansi = /\x1b\[[0-9;]*[A-Za-z]/g;

/** Attribute values (titles, alt texts) can carry data that the rendered text does not show. */
const attributeValues = (html: string) =>
  [...html.matchAll(/=\s*"([^"]*)"/g)].map(m => m[1]).join('\n');

const asText = (value: unknown): string =>
  Array.isArray(value) ? value.join('') : typeof value === 'string' ? value : JSON.stringify(value);

interface INbOutput {
  output_type?: string;
  text?: unknown;
  ename?: string;
  evalue?: string;
  traceback?: string[];
  data?: Record<string, unknown>;
}

/** The text of one notebook output: every textual representation, HTML as rows of cells. */
function outputText(output: INbOutput): string {
  if (output.output_type === 'stream') {
    return asText(output.text ?? '');
  }
  if (output.output_type === 'error') {
    return [output.ename ?? '', output.evalue ?? '', ...(output.traceback ?? [])]
      .join('\n')
      .replace(ansi, '');
  }
  const parts: string[] = [];
  for (const [mime, value] of Object.entries(output.data ?? {})) {
    if (mime === 'text/html') {
      const html = asText(value);
      parts.push(htmlText(html), attributeValues(html));
    } else if (mime.startsWith('text/') || mime.includes('json') || mime.endsWith('+xml')) {
      parts.push(asText(value));
    }
  }
  return parts.join('\n');
}

export class ArtifactContent implements IArtifactContent {
  private bytes?: Promise<Buffer>;
  private textValue?: Promise<string | undefined>;
  private tableValue?: Promise<ITable[]>;

  constructor(
    private candidate: ICandidate,
    private maxTableRows: number
  ) {}

  private output?: INbOutput;

  private read(): Promise<Buffer> {
    this.bytes ??= this.candidate.read();
    return this.bytes;
  }

  /** A cell output's JSON, parsed once for the text and the tables. */
  private parsed(bytes: Buffer): INbOutput {
    this.output ??= JSON.parse(bytes.toString('utf8')) as INbOutput;
    return this.output;
  }

  private get type(): string {
    return extname(this.candidate.path).slice(1).toLowerCase();
  }

  text(): Promise<string | undefined> {
    this.textValue ??= this.read().then(async bytes => {
      const { kind } = this.candidate;
      if (kind === 'cell_output') {
        return outputText(this.parsed(bytes));
      }
      if (kind !== 'notebook' && (binaryTypes.has(this.type) || bytes.includes(0))) {
        return undefined;
      }
      // Release has already decoded the text it writes; decoding it again would cost a pass.
      const raw = (await this.candidate.release?.())?.text ?? bytes.toString('utf8');
      return this.type === 'html' || this.type === 'htm'
        ? `${htmlText(raw)}\n${attributeValues(raw)}`
        : raw;
    });
    return this.textValue;
  }

  /** Tables printed as text; model summaries are left to the model check (their rule is degrees of freedom). */
  private printed(text: string): ITable[] {
    return modelSummary.test(text) ? [] : printedTables(text, this.maxTableRows);
  }

  tables(): Promise<ITable[]> {
    this.tableValue ??= this.read().then(async bytes => {
      const { kind, cellOutput } = this.candidate;
      if (kind === 'cell_output') {
        const output = this.parsed(bytes);
        const html = cellOutput?.output_type === 'stream' ? undefined : output.data?.['text/html'];
        if (html !== undefined) {
          return dataFrameTables(asText(html), this.maxTableRows);
        }
        const plain =
          cellOutput?.output_type === 'stream' ? output.text : output.data?.['text/plain'];
        return plain === undefined ? [] : this.printed(asText(plain));
      }
      if (kind !== 'output') {
        return [];
      }
      const text = (await this.candidate.release?.())?.text ?? bytes.toString('utf8');
      if (this.type === 'txt' || this.type === 'md') {
        return this.printed(text);
      }
      if (this.type === 'csv') {
        const table = csvTable(text, this.maxTableRows);
        return table ? [table] : [];
      }
      if (this.type === 'html' || this.type === 'htm') {
        return dataFrameTables(text, this.maxTableRows);
      }
      return [];
    });
    return this.tableValue;
  }
}
