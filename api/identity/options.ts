// What the identity routes are given by the API's composition root.
import type { DirectoryService } from '../../application/identity/directory.js';
import type { TokenService } from '../../application/identity/tokens.js';
import type { IdentityQueries } from '../../projections/identity-queries.js';

export interface IdentityRouteOptions {
  /** Base URL of the identity endpoint, e.g. http://127.0.0.1:8770/identity. */
  base: string;
  /** Base URL of the whole API, for the catalog. */
  apiBase: string;
  region: string;
  tokens: TokenService;
  directory: DirectoryService;
  queries: IdentityQueries;
}
