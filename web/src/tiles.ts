// The tile-grid map: one square per provincial-level division, laid out roughly as on a map of
// China (column west→east, row north→south). Deliberately no boundary polygons: a map with
// boundaries needs an approved map number (审图号); an operator may configure an approved
// standard map file instead (config.json "standard_map", drawn by standard_map.ts).
import { escape, number } from './dom';
import { provinceName, provinceShort } from './words';

export const tileLayout: Record<number, [number, number]> = {
  230000: [6, 0],
  650000: [0, 1], 660000: [1, 1], 150000: [3, 1], 110000: [4, 1], 120000: [5, 1], 220000: [6, 1],
  620000: [2, 2], 640000: [3, 2], 140000: [4, 2], 130000: [5, 2], 210000: [6, 2],
  540000: [0, 3], 630000: [1, 3], 610000: [3, 3], 410000: [4, 3], 370000: [5, 3],
  510000: [2, 4], 500000: [3, 4], 420000: [4, 4], 340000: [5, 4], 320000: [6, 4], 310000: [7, 4],
  530000: [2, 5], 520000: [3, 5], 430000: [4, 5], 360000: [5, 5], 330000: [6, 5],
  450000: [3, 6], 440000: [4, 6], 350000: [5, 6],
  460000: [4, 7],
};

// White → the given colour in proportion to value / max (a square root keeps small counts visible).
function shade(value: number, max: number, rgb: [number, number, number]): string {
  if (!value || !max) return '#f3f4f6';
  const f = 0.15 + 0.85 * Math.sqrt(value / max);
  const mix = rgb.map((c) => Math.round(255 - (255 - c) * f));
  return `rgb(${mix.join(',')})`;
}

export function tileGrid(values: Map<number, number>, label: string, rgb: [number, number, number]): string {
  const max = Math.max(0, ...values.values());
  const cells = Object.entries(tileLayout)
    .map(([code, [x, y]]) => {
      const n = values.get(Number(code)) ?? 0;
      const dark = max && n / max > 0.45;
      return `<div class="tile${dark ? ' dark' : ''}" style="grid-column:${x + 1};grid-row:${y + 1};background:${shade(n, max, rgb)}"
        data-code="${code}" data-count="${n}" title="${escape(code)} ${escape(provinceName(Number(code)))}: ${escape(label)} ${n}">
        <span class="tile-name">${escape(provinceShort(Number(code)))}</span><span class="tile-n">${number(n)}</span></div>`;
    })
    .join('');
  return `<div class="tiles">${cells}</div>`;
}
