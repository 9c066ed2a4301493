import { ConfigurationError } from '@grantkit/core';
import { unexpectedAnswer } from '@grantkit/core/internal';

/** One page of a collection. */
export interface SmithCartPage<T> {
  items: T[];
  /** The absolute URL of the next page (`Link: <…>; rel="next"`), if any. */
  next: string | undefined;
  /** The absolute URL of the previous page (`Link: <…>; rel="prev"`), if any. */
  prev: string | undefined;
}

/** The bounds of {@link paginate}. */
export interface PageBounds {
  maxPages?: number | undefined;
  maxItems?: number | undefined;
}

function assertBound(name: string, value: number): void {
  if (!(value === Number.POSITIVE_INFINITY || (Number.isSafeInteger(value) && value > 0))) {
    throw new ConfigurationError(`\`${name}\` must be a positive whole number; omit it for the default.`);
  }
}

function tooLong(what: string, bound: string) {
  return unexpectedAnswer(`The collection goes on past ${what}; paging stopped. Raise \`${bound}\` to read more`, 200, [
    { path: 'Link', message: `rel="next" went past ${bound}` },
  ]);
}

/**
 * Every page from `first` on, following `rel="next"` (compared without `#fragment`) until there is none,
 * for at most `maxPages` pages (default 1,000) and `maxItems` items; a next link off `origin` or back to a
 * page already read stops paging with `InvalidResponseError`.
 */
export async function* paginate<T>(
  first: URL,
  origin: string,
  listAt: (url: URL) => Promise<SmithCartPage<T>>,
  { maxPages = 1000, maxItems = Number.POSITIVE_INFINITY }: PageBounds,
): AsyncGenerator<SmithCartPage<T>, void> {
  assertBound('maxPages', maxPages);
  assertBound('maxItems', maxItems);
  let url: URL | undefined = first;
  const visited = new Set<string>();
  let items = 0;
  while (url) {
    visited.add(url.href);
    const page: SmithCartPage<T> = await listAt(url);
    items += page.items.length;
    if (items > maxItems) throw tooLong(`${maxItems} items`, 'maxItems');
    yield page;
    if (page.next === undefined) return;
    const next = new URL(page.next);
    // A fragment never reaches the server: #a and #b name the same page.
    next.hash = '';
    if (next.origin !== origin) {
      throw unexpectedAnswer(
        `The next page link leads to ${next.origin}, outside the API's origin ${origin}; paging stopped there so the token is not sent`,
        200,
        [{ path: 'Link', message: 'rel="next" must stay on the API origin' }],
      );
    }
    if (visited.has(next.href)) {
      throw unexpectedAnswer('The next page link points back to a page already read; paging stopped', 200, [
        { path: 'Link', message: 'rel="next" must not loop' },
      ]);
    }
    if (visited.size >= maxPages) throw tooLong(`${maxPages} pages`, 'maxPages');
    url = next;
  }
}
