import { defineOperation } from '../operation.js';

/** Statuses of a bulk operation (Admin API `BulkOperationStatus`). */
export type BulkOperationStatus =
  | 'CREATED'
  | 'RUNNING'
  | 'COMPLETED'
  | 'CANCELING'
  | 'CANCELED'
  | 'FAILED'
  | 'EXPIRED';

export interface BulkOperationFields {
  id: string;
  status: BulkOperationStatus;
  errorCode: 'ACCESS_DENIED' | 'INTERNAL_SERVER_ERROR' | 'TIMEOUT' | null;
  createdAt: string;
  completedAt: string | null;
  objectCount: string;
  rootObjectCount: string;
  fileSize: string | null;
  url: string | null;
  partialDataUrl: string | null;
}

export interface BulkOperationUserError {
  field: string[] | null;
  message: string;
  code: 'OPERATION_IN_PROGRESS' | 'INVALID' | null;
}

export interface BulkOperationRunQueryData {
  bulkOperationRunQuery: {
    bulkOperation: BulkOperationFields | null;
    userErrors: BulkOperationUserError[];
  } | null;
}

export interface BulkOperationRunQueryVariables {
  query: string;
  groupObjects: boolean;
}

/**
 * Starts a bulk query. `groupObjects: true` puts children directly after their parent in the
 * JSONL (needed to stream reassembled objects); Shopify's default since 2026-01 is false.
 */
export const BulkOperationRunQuery = defineOperation<
  BulkOperationRunQueryData,
  BulkOperationRunQueryVariables
>(
  'BulkOperationRunQuery',
  'mutation',
  /* GraphQL */ `mutation BulkOperationRunQuery($query: String!, $groupObjects: Boolean!) {
  bulkOperationRunQuery(query: $query, groupObjects: $groupObjects) {
    bulkOperation { id status errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl }
    userErrors { field message code }
  }
}`,
);

export interface BulkOperationByIdData {
  bulkOperation: BulkOperationFields | null;
}

/** Polls one bulk operation by id (several may run at once since 2026-01). */
export const BulkOperationById = defineOperation<BulkOperationByIdData, { id: string }>(
  'BulkOperationById',
  'query',
  /* GraphQL */ `query BulkOperationById($id: ID!) {
  bulkOperation(id: $id) { id status errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl }
}`,
);

export interface BulkOperationCancelData {
  bulkOperationCancel: {
    bulkOperation: BulkOperationFields | null;
    userErrors: Array<{ field: string[] | null; message: string }>;
  } | null;
}

/** Cancels a bulk operation dsync gave up waiting for, so it stops holding one of the app's slots. */
export const BulkOperationCancel = defineOperation<BulkOperationCancelData, { id: string }>(
  'BulkOperationCancel',
  'mutation',
  /* GraphQL */ `mutation BulkOperationCancel($id: ID!) {
  bulkOperationCancel(id: $id) {
    bulkOperation { id status errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl }
    userErrors { field message }
  }
}`,
);
