import { UnexpectedResponseError } from './errors.js';
import type { Connection, GraphQLResult } from './types.js';

/**
 * Walks a cursor-paginated connection page by page, yielding its nodes. Stops when
 * `hasNextPage` is false; a next page without a new cursor is refused rather than looped on.
 */
export async function* paginateConnection<TData, TNode>(
  fetchPage: (after: string | null) => Promise<GraphQLResult<TData>>,
  connection: (data: TData) => Connection<TNode>,
  operationName: string,
): AsyncGenerator<TNode, void, undefined> {
  let after: string | null = null;
  const seen = new Set<string>();
  for (;;) {
    const result = await fetchPage(after);
    const page = connection(result.data);
    if (!page || !Array.isArray(page.nodes) || !page.pageInfo) {
      throw new UnexpectedResponseError(
        operationName,
        'the response has no connection with nodes and pageInfo',
        {
          requestId: result.requestId,
        },
      );
    }
    yield* page.nodes;
    if (!page.pageInfo.hasNextPage) return;
    const cursor = page.pageInfo.endCursor;
    if (!cursor || seen.has(cursor)) {
      throw new UnexpectedResponseError(
        operationName,
        cursor ? `the cursor ${cursor} was returned twice` : 'hasNextPage is true but endCursor is empty',
        { requestId: result.requestId },
      );
    }
    seen.add(cursor);
    after = cursor;
  }
}
