// HTML built by escaping: every value that reaches markup goes through escapeHtml, so a message
// containing `<script>` arrives as text.

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A tagged template whose interpolations are escaped (an `Html` value is inserted as is). */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: Array<string | number | Html | Html[]>): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    const piece = Array.isArray(v)
      ? v.map((h) => h.value).join('')
      : v instanceof Html
        ? v.value
        : escapeHtml(String(v));
    out += piece + strings[i + 1]!;
  });
  return new Html(out);
}
