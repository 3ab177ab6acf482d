import { defineOperation } from '../operation.js';

export interface AppInstallationCheckData {
  shop: { name: string; myshopifyDomain: string };
  currentAppInstallation: { accessScopes: { handle: string }[] };
}

/**
 * Checks a token: which shop it opens and which access scopes it holds. Run after every login
 * and by `dsync auth status`.
 */
export const AppInstallationCheck = defineOperation<AppInstallationCheckData, Record<string, never>>(
  'AppInstallationCheck',
  'query',
  /* GraphQL */ `
  query AppInstallationCheck {
    shop {
      name
      myshopifyDomain
    }
    currentAppInstallation {
      accessScopes {
        handle
      }
    }
  }
`,
);
