// An email address that wraps where a person would break it: after the @ and before each dot, never
// mid-word ("chloe.martin@example.ed / u"). `overflow-wrap: break-word` (unlike `anywhere`) leaves
// the min-content width alone, so a table column is not squeezed to one letter and forced to break.
import { Fragment } from 'react';

export function Email({ address, className = '' }: { address: string; className?: string }) {
  const [local = '', domain] = address.split(/@(?=[^@]*$)/);
  const parts = (s: string) =>
    s.split(/(?=\.)/).map((p, i) => (
      <Fragment key={i}>
        {i > 0 ? <wbr /> : null}
        {p}
      </Fragment>
    ));
  return (
    <span className={`[overflow-wrap:break-word] ${className}`}>
      {parts(local)}
      {domain !== undefined ? (
        <>
          @<wbr />
          {parts(domain)}
        </>
      ) : null}
    </span>
  );
}
