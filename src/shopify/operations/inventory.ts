import { z } from 'zod';
import { codedUserErrorsSchema } from '../user-errors.js';
import { defineOperation } from '../operation.js';

/**
 * Stock levels at one location, read in pages, and `inventorySetQuantities` to set them.
 *
 * Costs (Shopify's calculated cost): a level with its quantities and item is 3 points, so a page
 * of 250 requests 752; with the variant (what `inventory pull` prints) 4 points, so pages of 200
 * (802). Shopify refuses a query over 1000.
 */
export const LEVELS_PAGE_SIZE = 250;
export const LEVELS_WITH_VARIANTS_PAGE_SIZE = 200;
/** Shopify's limit on input arrays: at most this many quantities per inventorySetQuantities. */
export const SET_QUANTITIES_MAX = 250;
/** Items read by id in one request (4 points each: 800). */
export const ITEMS_BY_ID_MAX = 200;

const quantities = z.array(z.object({ name: z.string(), quantity: z.number().int() }));
const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });
const variant = z.object({ id: z.string(), displayName: z.string() });

const levelNode = z.object({
  quantities,
  item: z.object({ id: z.string(), sku: z.string().nullable(), tracked: z.boolean() }),
});
const levelWithVariantNode = z.object({
  quantities,
  item: z.object({
    id: z.string(),
    sku: z.string().nullable(),
    tracked: z.boolean(),
    variant: variant.nullable(),
  }),
});

function levelsPage<T extends z.ZodType>(node: T) {
  return z.object({
    location: z
      .object({ name: z.string(), inventoryLevels: z.object({ nodes: z.array(node), pageInfo }) })
      .nullable(),
  });
}

const LocationLevelsSchema = levelsPage(levelNode);
const LocationLevelsWithVariantsSchema = levelsPage(levelWithVariantNode);

export type LocationLevelsData = z.infer<typeof LocationLevelsSchema>;
export type LocationLevelNode = z.infer<typeof levelNode>;
export type LocationLevelsWithVariantsData = z.infer<typeof LocationLevelsWithVariantsSchema>;
export type LocationLevelWithVariantNode = z.infer<typeof levelWithVariantNode>;

export interface LocationLevelsVariables {
  locationId: string;
  after?: string | null;
}

/** Every item stocked at a location, with its `available` and `on_hand` there (250 a page). */
export const LocationLevels = defineOperation<LocationLevelsData, LocationLevelsVariables>(
  'LocationLevels',
  'query',
  /* GraphQL */ `
  query LocationLevels($locationId: ID!, $after: String) {
    location(id: $locationId) {
      name
      inventoryLevels(first: 250, after: $after) {
        nodes {
          quantities(names: ["available", "on_hand"]) {
            name
            quantity
          }
          item {
            id
            sku
            tracked
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`,
  { parse: (data) => LocationLevelsSchema.parse(data) },
);

/** The same, with each item's variant (id and display name): 200 a page. */
export const LocationLevelsWithVariants = defineOperation<
  LocationLevelsWithVariantsData,
  LocationLevelsVariables
>(
  'LocationLevelsWithVariants',
  'query',
  /* GraphQL */ `
  query LocationLevelsWithVariants($locationId: ID!, $after: String) {
    location(id: $locationId) {
      name
      inventoryLevels(first: 200, after: $after) {
        nodes {
          quantities(names: ["available", "on_hand"]) {
            name
            quantity
          }
          item {
            id
            sku
            tracked
            variant {
              id
              displayName
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`,
  { parse: (data) => LocationLevelsWithVariantsSchema.parse(data) },
);

const itemBySkuNode = z.object({
  id: z.string(),
  sku: z.string().nullable(),
  tracked: z.boolean(),
  variant: variant.nullable(),
  inventoryLevel: z.object({ id: z.string() }).nullable(),
});
const InventoryItemsBySkuSchema = z.object({
  inventoryItems: z.object({ nodes: z.array(itemBySkuNode), pageInfo }),
});
export type InventoryItemsBySkuData = z.infer<typeof InventoryItemsBySkuSchema>;
export type InventoryItemBySkuNode = z.infer<typeof itemBySkuNode>;
export interface InventoryItemsBySkuVariables {
  query: string;
  locationId: string;
  after?: string | null;
}

/**
 * Items found by a SKU search (`sku:"A" OR sku:"B"`), whether or not they are stocked at the
 * location: what tells an unknown SKU from one that is not stocked there (3 points an item).
 */
export const InventoryItemsBySku = defineOperation<InventoryItemsBySkuData, InventoryItemsBySkuVariables>(
  'InventoryItemsBySku',
  'query',
  /* GraphQL */ `
  query InventoryItemsBySku($query: String!, $locationId: ID!, $after: String) {
    inventoryItems(first: 250, after: $after, query: $query) {
      nodes {
        id
        sku
        tracked
        variant {
          id
          displayName
        }
        inventoryLevel(locationId: $locationId) {
          id
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`,
  { parse: (data) => InventoryItemsBySkuSchema.parse(data) },
);

const itemAvailableNode = z.union([
  z.object({
    id: z.string(),
    variant: variant.nullable(),
    inventoryLevel: z.object({ quantities }).nullable(),
  }),
  z.null(),
]);
const InventoryItemsAvailableSchema = z.object({ nodes: z.array(itemAvailableNode) });
export type InventoryItemsAvailableData = z.infer<typeof InventoryItemsAvailableSchema>;
export interface InventoryItemsAvailableVariables {
  ids: string[];
  locationId: string;
}

/**
 * Items by id with their `available` at the location and their variant: re-reads the items whose
 * compare-and-swap went stale, and names the variants sharing a SKU.
 */
export const InventoryItemsAvailable = defineOperation<
  InventoryItemsAvailableData,
  InventoryItemsAvailableVariables
>(
  'InventoryItemsAvailable',
  'query',
  /* GraphQL */ `
  query InventoryItemsAvailable($ids: [ID!]!, $locationId: ID!) {
    nodes(ids: $ids) {
      ... on InventoryItem {
        id
        variant {
          id
          displayName
        }
        inventoryLevel(locationId: $locationId) {
          quantities(names: ["available"]) {
            name
            quantity
          }
        }
      }
    }
  }
`,
  {
    parse: (data) => {
      // `nodes` answers {} for an id of another type: treat it as not found.
      const raw = data as { nodes?: unknown[] };
      const nodes = Array.isArray(raw?.nodes)
        ? raw.nodes.map((n) => (n && typeof n === 'object' && 'id' in n ? n : null))
        : raw?.nodes;
      return InventoryItemsAvailableSchema.parse({ nodes });
    },
  },
);

const SetQuantitiesSchema = z.object({
  inventorySetQuantities: z
    .object({
      inventoryAdjustmentGroup: z.object({ id: z.string() }).nullable(),
      userErrors: codedUserErrorsSchema,
    })
    .nullable(),
});
export type InventorySetAvailableData = z.infer<typeof SetQuantitiesSchema>;

export interface InventoryQuantityInput {
  inventoryItemId: string;
  locationId: string;
  quantity: number;
  /** The quantity read in this run (compare-and-swap); a stale one fails with CHANGE_FROM_QUANTITY_STALE. */
  changeFromQuantity: number | null;
}
export interface InventorySetAvailableVariables {
  input: {
    name: 'available';
    reason: string;
    referenceDocumentUri: string;
    quantities: InventoryQuantityInput[];
  };
}

/**
 * Sets quantities (up to 250) with compare-and-swap, once per idempotency key: the client sends
 * the same key on every retry of one request.
 */
export const InventorySetAvailable = defineOperation<
  InventorySetAvailableData,
  InventorySetAvailableVariables
>(
  'InventorySetAvailable',
  'mutation',
  /* GraphQL */ `
  mutation InventorySetAvailable($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
    inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {
      inventoryAdjustmentGroup {
        id
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`,
  { parse: (data) => SetQuantitiesSchema.parse(data) },
);
