/** A CSV download, offered as a link only when there is something in it; otherwise a disabled button saying why. */
export function CsvLink({ href, empty, children }: { href: string; empty: boolean; children: React.ReactNode }) {
  if (empty) {
    return (
      <button type="button" className="btn-secondary" disabled title="No calls in this range to download">
        {children}
      </button>
    );
  }
  return (
    <a className="btn-secondary" href={href} download>
      {children}
    </a>
  );
}
