/** Page state in the URL hash (#/page?key=value&…), as TensorFlow Playground keeps it: shareable, restored on load. */

/** Replaces the current hash's query with `state`, without adding a history entry or remounting the page. */
export function writeHashState(route: string, state: Record<string, string | number | boolean>): void {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) q.set(k, String(v));
  const hash = `#/${route}?${q.toString()}`;
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

export function readNumber(params: URLSearchParams, key: string, fallback: number, min = -Infinity, max = Infinity): number {
  const raw = params.get(key);
  if (raw === null) return fallback;
  const v = Number(raw);
  return Number.isFinite(v) && v >= min && v <= max ? v : fallback;
}

export function readChoice<T extends string>(params: URLSearchParams, key: string, allowed: readonly T[], fallback: T): T {
  const raw = params.get(key);
  return raw !== null && (allowed as readonly string[]).includes(raw) ? (raw as T) : fallback;
}

export function readBool(params: URLSearchParams, key: string, fallback: boolean): boolean {
  const raw = params.get(key);
  return raw === null ? fallback : raw === '1' || raw === 'true';
}
