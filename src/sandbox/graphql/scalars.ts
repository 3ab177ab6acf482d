import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

/**
 * Shopify's custom scalars, serialized the way Shopify serializes them: DateTime as ISO 8601 in
 * UTC without milliseconds (`2026-01-01T12:00:00Z`), Money and Decimal as decimal strings
 * (`"10.0"`, `"24.99"`), UnsignedInt64 as a string of digits, URL and HTML as strings, JSON as is.
 */

function dateTime(value: unknown): string {
  const date =
    value instanceof Date
      ? value
      : typeof value === 'string' || typeof value === 'number'
        ? new Date(value)
        : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new GraphQLError(`DateTime cannot represent ${JSON.stringify(value)}`);
  }
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A decimal amount as Shopify prints it: at least one digit after the point. */
export function decimalString(value: unknown): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new GraphQLError(`Decimal cannot represent ${value}`);
    const text = String(Math.round(value * 1e10) / 1e10);
    return text.includes('.') || text.includes('e') ? text : `${text}.0`;
  }
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) {
    return value.includes('.') ? value : `${value}.0`;
  }
  if (typeof value === 'bigint') return `${value}.0`;
  throw new GraphQLError(`Decimal cannot represent ${JSON.stringify(value)}`);
}

function unsignedInt64(value: unknown): string {
  const text = typeof value === 'bigint' || typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d+$/.test(text)) {
    throw new GraphQLError(`UnsignedInt64 cannot represent ${JSON.stringify(value)}`);
  }
  return text;
}

function stringLike(name: string) {
  return (value: unknown): string => {
    if (typeof value === 'string') return value;
    if (value instanceof URL) return value.toString();
    throw new GraphQLError(`${name} cannot represent ${JSON.stringify(value)}`);
  };
}

function literal(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.ENUM:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map(literal);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value)]));
    default:
      return undefined;
  }
}

function scalar(
  name: string,
  serialize: (v: unknown) => unknown,
  parse: (v: unknown) => unknown = serialize,
) {
  return new GraphQLScalarType({
    name,
    serialize,
    parseValue: parse,
    parseLiteral: (ast, variables) => {
      if (ast.kind === Kind.VARIABLE) return parse(variables?.[ast.name.value]);
      return parse(literal(ast));
    },
  });
}

/** DateTime inputs are checked, then handed to resolvers as written. */
function passDateTime(value: unknown): unknown {
  dateTime(value);
  return value;
}

export const SHOPIFY_SCALARS: Record<string, GraphQLScalarType> = {
  DateTime: scalar('DateTime', dateTime, passDateTime),
  Date: scalar('Date', (v) => dateTime(v).slice(0, 10)),
  Decimal: scalar('Decimal', decimalString),
  Money: scalar('Money', decimalString),
  UnsignedInt64: scalar('UnsignedInt64', unsignedInt64),
  URL: scalar('URL', stringLike('URL')),
  HTML: scalar('HTML', stringLike('HTML')),
  FormattedString: scalar('FormattedString', stringLike('FormattedString')),
  StorefrontID: scalar('StorefrontID', stringLike('StorefrontID')),
  ARN: scalar('ARN', stringLike('ARN')),
  Color: scalar('Color', stringLike('Color')),
  UtcOffset: scalar('UtcOffset', stringLike('UtcOffset')),
  BigInt: scalar('BigInt', unsignedInt64),
  JSON: scalar(
    'JSON',
    (v) => v,
    (v) => v,
  ),
};
