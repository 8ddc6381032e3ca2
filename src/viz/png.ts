/** Rasterizes an SVG document to PNG with resvg (Node only). */
import { Resvg } from '@resvg/resvg-js';

export function svgToPng(svg: string, scale = 2): Uint8Array {
  const resvg = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } });
  return resvg.render().asPng();
}
