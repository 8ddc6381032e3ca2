/** Small helpers for writing SVG as text (no DOM in Node): escaping, the document wrapper, the palette. */

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** A categorical palette (Tableau 10), readable on white and distinguishable in print. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';

export function svgDocument(width: number, height: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">\n<rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`;
}
