// JHE's paging, as recorded: DRF pages for REST, searchset Bundles for FHIR, and their error answers.
import type { FhirBundle, JhePage } from '../../schema/index.js';

export interface IFacadeAnswer {
  status: number;
  /** JSON, or a string for an HTML page (Django's 404 for paths JHE does not have). */
  body: unknown;
  headers?: Record<string, string>;
}

/** JHE's page sizes: the default of DRF pages and FHIR searches, and the cap on both. */
export const defaultPageSize = 20;
export const maxPageSize = 1000;

export const restError = (status: number, detail: string): IFacadeAnswer => ({
  status,
  body: { detail }
});

export const operationOutcome = (status: number, diagnostics: string): IFacadeAnswer => ({
  status,
  body: {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: 'processing', diagnostics }]
  }
});

/** Django's page for a path it has no route for (JHE answers HTML here, not JSON). */
export const htmlNotFound: IFacadeAnswer = {
  status: 404,
  body:
    '<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n' +
    '  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n'
};

/** A page size parameter as JHE reads it: 0, negative or not a number is the default; capped. */
export function pageSize(value: string | null): number {
  const n = Number(value);
  return value !== null && /^\d+$/.test(value.trim()) && n > 0
    ? Math.min(n, maxPageSize)
    : defaultPageSize;
}

/** A page number: 1-based; "last" is the last page; anything else is not a page (undefined). */
function pageNumber(value: string | null, pages: number): number | undefined {
  if (value === null) {
    return 1;
  }
  if (value === 'last') {
    return pages;
  }
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

/**
 * A link the way Django rebuilds it: the request's query with one parameter set (or removed, for
 * page 1), the parameters sorted by name and form-encoded (":" as %3A, "|" as %7C).
 */
export function rebuiltLink(url: URL, name: string, page: number | undefined): string {
  const params = [...url.searchParams.entries()].filter(([k]) => k !== name);
  if (page !== undefined) {
    params.push([name, String(page)]);
  }
  params.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const query = new URLSearchParams(params).toString();
  return `${url.origin}${url.pathname}${query ? `?${query}` : ''}`;
}

/** The slice of `items` one page asks for, or undefined when that page does not exist. */
function slice<T>(items: T[], url: URL, sizeParam: string, pageParam: string) {
  const size = pageSize(url.searchParams.get(sizeParam));
  const pages = Math.max(1, Math.ceil(items.length / size));
  const number = pageNumber(url.searchParams.get(pageParam), pages);
  if (number === undefined || number < 1 || number > pages) {
    return undefined;
  }
  const start = (number - 1) * size;
  return { number, pages, items: items.slice(start, start + size) };
}

/** A DRF page of `items`; `url` is the request's absolute URL, for next/previous links. */
export function restPage<T>(items: T[], url: URL): IFacadeAnswer {
  const page = slice(items, url, 'page_size', 'page');
  if (!page) {
    return restError(404, 'Invalid page.');
  }
  const link = (n: number) => rebuiltLink(url, 'page', n === 1 ? undefined : n);
  const body: JhePage = {
    count: items.length,
    next: page.number < page.pages ? link(page.number + 1) : null,
    previous: page.number > 1 ? link(page.number - 1) : null,
    results: page.items
  };
  return { status: 200, body };
}

/** A searchset Bundle page of `resources` (`_count`, `_page`; `_summary=count` gives the total only). */
export function fhirPage(resources: unknown[], url: URL): IFacadeAnswer {
  const self = { relation: 'self', url: url.toString() };
  if (url.searchParams.get('_summary') === 'count') {
    const body: FhirBundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      total: resources.length,
      entry: [],
      link: [self],
      meta: {}
    };
    return { status: 200, body };
  }
  const page = slice(resources, url, '_count', '_page');
  if (!page) {
    return operationOutcome(404, 'Invalid page.');
  }
  const link = (n: number) => rebuiltLink(url, '_page', n === 1 ? undefined : n);
  const body: FhirBundle = {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    entry: page.items.map(resource => ({ resource: resource as Record<string, unknown> })),
    link: [
      self,
      ...(page.number > 1 ? [{ relation: 'previous', url: link(page.number - 1) }] : []),
      ...(page.number < page.pages ? [{ relation: 'next', url: link(page.number + 1) }] : [])
    ],
    meta: {}
  };
  return { status: 200, body };
}
