import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { ThrottleStatus } from './throttle.js';

/**
 * The bodies Shopify's Admin API answers with when something is wrong, so clients written
 * against Shopify classify sandbox failures the same way.
 */

export const RATE_LIMITS_DOC = 'https://shopify.dev/api/usage/rate-limits';

/** 401 for a missing, unknown, expired or revoked access token. */
export const INVALID_TOKEN_BODY = {
  errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
};

/** 400 for a request without a query. */
export const MISSING_QUERY_BODY = { errors: { query: 'Required parameter missing or invalid' } };

export const NOT_FOUND_BODY = { errors: 'Not Found' };

/** Bodies of plain HTTP failures (faults). */
export function statusBody(status: number): { errors: string } {
  if (status === 429) {
    return {
      errors:
        'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.',
    };
  }
  if (status === 503) return { errors: 'Unavailable Shop' };
  if (status === 502) return { errors: 'Bad Gateway' };
  if (status === 504) return { errors: 'Gateway Timeout' };
  if (status === 402) return { errors: 'Unavailable Shop' };
  if (status === 423) return { errors: 'Locked' };
  if (status === 404) return NOT_FOUND_BODY;
  if (status >= 500) return { errors: 'Internal Server Error' };
  return { errors: 'Bad Request' };
}

export interface CostExtension {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export function throttledError(): GraphQLFormattedError {
  return {
    message: 'Throttled',
    extensions: { code: 'THROTTLED', documentation: RATE_LIMITS_DOC },
  };
}

export function maxCostExceededError(cost: number, maxCost: number): GraphQLFormattedError {
  return {
    message:
      `Query cost is ${cost}, which exceeds the single query max cost limit (${maxCost}).\n\n` +
      'See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n' +
      'cost of a query is calculated.\n\n' +
      'To query larger amounts of data with fewer limits, bulk operations should be used instead.\n' +
      'See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n',
    extensions: {
      code: 'MAX_COST_EXCEEDED',
      cost,
      maxCost,
      documentation: 'https://shopify.dev/api/usage/limits#rate-limits',
    },
  };
}

/** The message Shopify gives for anything unexpected, carrying the request id. */
export function internalError(requestId: string, path?: readonly (string | number)[]): GraphQLFormattedError {
  return {
    message: `Internal error. Looks like something went wrong on our end.\nRequest ID: ${requestId} (include this in support requests).`,
    ...(path ? { path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
  };
}

/**
 * Shapes an error from parsing, validation or execution. Errors the resolvers raise on purpose
 * (GraphQLError with `extensions.code`, e.g. ACCESS_DENIED) keep their message and extensions;
 * anything else thrown inside a resolver is a bug and becomes Shopify's internal error.
 */
export function formatError(
  error: GraphQLError,
  requestId: string,
  onInternal?: (error: Error) => void,
): GraphQLFormattedError {
  const original = error.originalError;
  if (original && !(original instanceof GraphQLError)) {
    onInternal?.(original);
    return {
      ...internalError(requestId, error.path),
      ...(error.locations ? { locations: error.locations } : {}),
    };
  }
  const formatted = error.toJSON();
  const extensions = { ...(formatted.extensions ?? {}) };
  const shaped = shopifyValidationShape(error.message);
  if (shaped && extensions.code === undefined) Object.assign(extensions, shaped.extensions);
  return {
    message: shaped?.message ?? formatted.message,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
  };
}

/**
 * Shopify's GraphQL server words the commonest validation errors its own way (graphql-ruby);
 * clients sometimes match on them. The rest keep graphql-js's wording.
 */
function shopifyValidationShape(
  message: string,
): { message: string; extensions: Record<string, unknown> } | undefined {
  const undefinedField = /^Cannot query field "([^"]+)" on type "([^"]+)"\./.exec(message);
  if (undefinedField) {
    const [, fieldName, typeName] = undefinedField;
    return {
      message: `Field '${fieldName}' doesn't exist on type '${typeName}'`,
      extensions: { code: 'undefinedField', typeName, fieldName },
    };
  }
  const unknownArg = /^Unknown argument "([^"]+)" on field "([^".]+)\.([^"]+)"\./.exec(message);
  if (unknownArg) {
    const [, argumentName, , fieldName] = unknownArg;
    return {
      message: `Field '${fieldName}' doesn't accept argument '${argumentName}'`,
      extensions: { code: 'argumentNotAccepted', name: fieldName, typeName: 'Field', argumentName },
    };
  }
  return undefined;
}

/** `first`/`last` above 250 (wording modelled on Shopify's argument errors). */
export function pageSizeTooLargeError(input: {
  field: string;
  argument: string;
  value: number;
  max: number;
  locations?: readonly { line: number; column: number }[];
  path: readonly string[];
}): GraphQLFormattedError {
  return {
    message: `The ${input.argument} argument of field '${input.field}' is ${input.value}, which exceeds the maximum page size of ${input.max}.`,
    ...(input.locations ? { locations: input.locations } : {}),
    path: input.path,
    extensions: {
      code: 'MAX_PAGE_SIZE_EXCEEDED',
      argumentName: input.argument,
      value: input.value,
      maxPageSize: input.max,
    },
  };
}

/** A connection asked for without `first` or `last` (Shopify's wording). */
export function pageSizeMissingError(input: {
  locations?: readonly { line: number; column: number }[];
  path: readonly string[];
}): GraphQLFormattedError {
  return {
    message: 'you must provide one of first or last',
    ...(input.locations ? { locations: input.locations } : {}),
    path: input.path,
  };
}

/** An input array longer than 250 (Shopify's input limit). */
export function inputTooLargeError(input: {
  size: number;
  max: number;
  argument: string;
  locations?: readonly { line: number; column: number }[];
  path: readonly string[];
}): GraphQLFormattedError {
  return {
    message: `The input array size of ${input.size} is greater than the maximum allowed of ${input.max}.`,
    ...(input.locations ? { locations: input.locations } : {}),
    path: [...input.path, input.argument],
    extensions: { code: 'MAX_INPUT_SIZE_EXCEEDED' },
  };
}
