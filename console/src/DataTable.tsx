// The console's tables: a caption for screen readers, column headers, and a frame that
// scrolls sideways on a phone instead of the page.
import type { ReactElement, ReactNode } from 'react';

export function DataTable({ caption, columns, children }: { caption: string; columns: string[]; children: ReactNode }): ReactElement {
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col" key={column}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
