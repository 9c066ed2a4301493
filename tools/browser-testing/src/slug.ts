/** A test's name as a folder name. */
export function slug(name: string): string {
  return (
    name
      .replace(/[^\w-]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 120) || 'test'
  );
}
