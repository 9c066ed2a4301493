/**
 * The scope SmithCart requires for an HTTP method on top of read access:
 * `create` for POST, `edit` for PUT and PATCH, `delete` for DELETE, none for reads.
 *
 * @example
 * ```ts
 * requiredScope('PATCH'); // 'edit'
 * requiredScope('GET'); // undefined
 * ```
 */
export function requiredScope(method: string): 'create' | 'edit' | 'delete' | undefined {
  switch (method.toUpperCase()) {
    case 'POST':
      return 'create';
    case 'PUT':
    case 'PATCH':
      return 'edit';
    case 'DELETE':
      return 'delete';
    default:
      return undefined;
  }
}
