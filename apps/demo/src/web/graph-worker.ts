// Graphviz (1.4 MB of WebAssembly) loads here, on the first graph the user asks for, and lays
// graphs out without blocking the page or the training worker.
import { toSvg } from '@mg/viz';

interface Scope {
  postMessage(message: { id: number; svg?: string; error?: string }): void;
  onmessage: ((event: MessageEvent<{ id: number; dot: string }>) => void) | null;
}
const scope = self as unknown as Scope;

scope.onmessage = (event) => {
  const { id, dot } = event.data;
  toSvg(dot).then(
    (svg) => scope.postMessage({ id, svg }),
    (error: unknown) => scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
  );
};
