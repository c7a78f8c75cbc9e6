// An operator-approved standard map (标准地图) drawn in place of the tile grid: loaded only when
// config.json names one, from the console's own directory (never from an outside host), and
// shown with its approval number (审图号) as the regulations require.
import * as echarts from 'echarts/core';
import { MapChart } from 'echarts/charts';
import { GeoComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { escape } from './dom';
import { t } from './i18n';

echarts.use([MapChart, GeoComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export interface StandardMap {
  url: string;
  name_property?: string; // the GeoJSON feature property holding the GB/T 2260 code
  approval_number: string;
}

export async function drawStandardMap(host: HTMLElement, map: StandardMap, values: Map<number, number>): Promise<void> {
  if (/^[a-z]+:/i.test(map.url) || map.url.startsWith('//')) throw new Error('standard_map.url must be a local path');
  const geo = await (await fetch(map.url)).json();
  const key = map.name_property ?? 'adcode';
  for (const f of geo.features ?? []) f.properties.name = String(f.properties[key] ?? f.properties.name);
  echarts.registerMap('standard', geo);
  host.innerHTML = `<div class="std-map"></div><p class="muted">${escape(t('approval'))}：${escape(map.approval_number)}</p>`;
  const chart = echarts.init(host.querySelector('.std-map') as HTMLElement);
  const max = Math.max(1, ...values.values());
  chart.setOption({
    tooltip: { trigger: 'item' },
    visualMap: { min: 0, max, left: 0, bottom: 0, inRange: { color: ['#fde0dd', '#c8102e'] } },
    series: [{ type: 'map', map: 'standard', data: [...values].map(([code, n]) => ({ name: String(code), value: n })) }],
  });
}
