/** Version shown by /api/health and the OpenAPI description; kept equal to package.json's. */
export const VERSION = '0.1.0';
