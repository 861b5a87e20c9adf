import Table from 'cli-table3';

/**
 * A cli-table3 table with `head`, uncoloured (output is read in terminals, logs and tickets
 * alike; colour codes would end up in all of them).
 */
export function createTable(head: string[]): Table.Table {
  return new Table({ head, style: { head: [], border: [] } });
}
