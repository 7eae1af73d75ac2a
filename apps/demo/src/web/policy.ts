import type { CodePolicy } from './protocol.js';

/**
 * What this document's Content-Security-Policy (the built page sets one in a <meta> tag) allows
 * compiled code to do. A worker loaded from a URL is not bound by a <meta> policy, so the page
 * passes this on and the worker keeps to it.
 */
export function codePolicy(): CodePolicy {
  const policies = [
    ...document.querySelectorAll<HTMLMetaElement>('meta[http-equiv="Content-Security-Policy" i]'),
  ].map((m) => m.content);
  let allowed: CodePolicy = { eval: true, wasm: true };
  for (const policy of policies) {
    const directives = new Map(
      policy
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name = '', ...sources]) => [name.toLowerCase(), sources]),
    );
    const scripts = directives.get('script-src') ?? directives.get('default-src');
    if (scripts === undefined) continue;
    // Every policy must allow a thing for it to be allowed.
    const evalOk = scripts.includes("'unsafe-eval'");
    allowed = {
      eval: allowed.eval && evalOk,
      wasm: allowed.wasm && (evalOk || scripts.includes("'wasm-unsafe-eval'")),
    };
  }
  return allowed;
}
