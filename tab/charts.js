// Chart.js (UMD, window.Chart) drawings of the dashboard data, in the current theme's colours.

export const LEVEL_NAMES = { 100: 'Initial', 200: 'Repeatable', 300: 'Defined', 400: 'Capable', 500: 'Efficient' };
/** Dash patterns tell the capability lines apart without relying on colour. */
const DASHES = [[], [6, 4], [2, 3], [10, 4, 2, 4], [1, 5], [12, 6], [4, 4, 1, 4], [8, 2], [3, 6]];
/** And a marker shape each, so two capabilities at the same level still show as two. */
const POINT_STYLES = ['circle', 'rect', 'triangle', 'rectRot', 'crossRot', 'star', 'rectRounded', 'cross', 'line'];
/** Level units between neighbouring capability lines (3 to 5 px on the trend chart), so equal levels never hide each other. */
const LINE_GAP = 16;

function themeColours() {
  const style = getComputedStyle(document.documentElement);
  const value = (name) => style.getPropertyValue(name).trim();
  return {
    fg: value('--fg'),
    subtle: value('--fg-subtle'),
    surface: value('--surface'),
    grid: value('--chart-grid'),
    team: value('--chart-team'),
    teamFill: value('--chart-team-fill'),
    you: value('--chart-you'),
    series: value('--chart-series')
      .split(',')
      .map((colour) => colour.trim()),
    heat: [100, 200, 300, 400, 500].map((level) => value(`--heat-${level}`) || value('--chart-team')),
    font: getComputedStyle(document.body).fontFamily,
  };
}

function baseOptions(colours) {
  const { Chart } = window;
  Chart.defaults.color = colours.fg;
  Chart.defaults.borderColor = colours.grid;
  Chart.defaults.font.family = colours.font;
  return {
    // No animation: the charts render at once (and screenshots and reduced-motion users see the final state).
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    plugins: {
      // Line-shaped legend boxes keep the dash pattern visible, so the legend never relies on colour alone.
      legend: { position: 'bottom', labels: { color: colours.fg, boxWidth: 28, boxHeight: 2, padding: 14 } },
      tooltip: { callbacks: { label: tooltipLabel } },
    },
  };
}

/** The tooltip line of a dataset: the band says the spread, every other series its level. */
function tooltipLabel(item) {
  if (item.dataset.spread === 'high') {
    const low = item.chart.data.datasets.find((set) => set.spread === 'low')?.data[item.dataIndex];
    return `Answers: ${low ?? '–'} to ${item.dataset.data[item.dataIndex]}`;
  }
  const level = typeof item.raw === 'object' && item.raw !== null ? item.raw.level : item.raw;
  return `${item.dataset.label}: ${level === null ? 'no level' : `${level} ${LEVEL_NAMES[level] ?? ''}`}`;
}

/**
 * Team level per capability: a radar for three or more capabilities, bars below that (a radar of one
 * or two axes is not a shape). `yours` (the viewer's own levels) is drawn dashed beside the team's;
 * `spread` (each capability's lowest and highest answer) is a faint band around the team's level.
 */
export function capabilityChart(canvas, capabilities, team, yours, spread) {
  const colours = themeColours();
  const options = baseOptions(colours);
  const tooltip = { ...options.plugins.tooltip, filter: (item) => item.dataset.spread !== 'low', callbacks: { label: tooltipLabel } };
  const lowest = spread.map((answers) => answers.lowest);
  const highest = spread.map((answers) => answers.highest);
  const datasets = [
    {
      label: 'Team level',
      data: team,
      borderColor: colours.team,
      backgroundColor: colours.teamFill,
      pointBackgroundColor: colours.team,
      borderWidth: 2,
      // Not filled: the only shaded area is the spread of answers.
      fill: false,
      spanGaps: true,
    },
    {
      label: 'Your answer',
      data: yours,
      borderColor: colours.you,
      backgroundColor: 'transparent',
      pointBackgroundColor: colours.you,
      borderDash: [5, 4],
      borderWidth: 2,
      spanGaps: true,
    },
  ];
  const labels = capabilities.map((capability) => capability.title);
  if (capabilities.length < 3) {
    // A narrow bar per series, and the spread as a faint floating bar from the lowest answer to the highest.
    return new window.Chart(canvas, {
      type: 'bar',
      data: {
        labels,
        datasets: [
          ...datasets.map((set, index) => ({
            ...set,
            backgroundColor: index === 0 ? colours.team : colours.you,
            borderDash: undefined,
            maxBarThickness: 16,
          })),
          {
            label: 'Spread of answers',
            data: spread.map((answers) => (answers.lowest === null ? null : [answers.lowest, answers.highest])),
            backgroundColor: colours.teamFill,
            borderColor: colours.team,
            borderWidth: 1,
            maxBarThickness: 16,
          },
        ],
      },
      options: {
        ...options,
        plugins: {
          ...barPlugins(colours),
          tooltip: {
            callbacks: {
              label: (item) => (Array.isArray(item.raw) ? `Answers: ${item.raw[0]} to ${item.raw[1]}` : tooltipLabel(item)),
            },
          },
        },
        indexAxis: 'y',
        scales: {
          x: { min: 0, max: 500, ticks: { stepSize: 100, color: colours.subtle }, grid: { color: colours.grid } },
          y: { ticks: { color: colours.fg }, grid: { color: colours.grid } },
        },
      },
    });
  }
  const band = { borderColor: colours.team, borderWidth: 1, borderDash: [2, 3], pointRadius: 0, pointHitRadius: 6, spanGaps: true };
  return new window.Chart(canvas, {
    type: 'radar',
    data: {
      labels: capabilities.map((capability) => wrapped(capability.title)),
      datasets: [
        ...datasets,
        // The band between the highest and the lowest answers (filled to the next dataset).
        { ...band, label: 'Spread of answers', spread: 'high', data: highest, backgroundColor: colours.teamFill, fill: '+1' },
        { ...band, label: 'Lowest answer', spread: 'low', data: lowest, backgroundColor: 'transparent', fill: false },
      ],
    },
    options: {
      ...options,
      plugins: {
        ...options.plugins,
        tooltip,
        legend: {
          ...options.plugins.legend,
          labels: { ...options.plugins.legend.labels, filter: (item, data) => data.datasets[item.datasetIndex].spread !== 'low' },
        },
      },
      scales: {
        r: {
          min: 0,
          max: 500,
          ticks: {
            // The level labels are drawn above the data (z), each on an opaque backdrop, so no point or line covers one.
            z: 1,
            stepSize: 100,
            color: colours.subtle,
            showLabelBackdrop: true,
            backdropColor: colours.surface,
            backdropPadding: 2,
            callback: (value) => (value === 0 ? '' : value),
          },
          grid: { color: colours.grid },
          angleLines: { color: colours.grid },
          // Long titles wrap onto lines, and narrow charts use a smaller font, so no label is cut at a phone's width.
          pointLabels: { color: colours.fg, font: (context) => ({ size: context.chart.width < 480 ? 10 : 12 }) },
        },
      },
    },
  });
}

/** A label in lines of about 12 characters (Chart.js draws an array as lines), whole words kept together. */
function wrapped(title, width = 12) {
  const lines = [];
  for (const word of title.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && `${last} ${word}`.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** Overall level per round, and optionally each capability's level (thin, dashed, one pattern each). */
export function trendChart(canvas, trend, capabilities, perCapability) {
  const colours = themeColours();
  const labels = trend.map((point) =>
    new Date(`${point.round}-01T00:00:00Z`).toLocaleString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' }),
  );
  const datasets = [
    {
      label: 'Overall level',
      data: trend.map((point) => point.overall),
      borderColor: colours.team,
      backgroundColor: colours.team,
      borderWidth: 3,
      pointRadius: 4,
      spanGaps: false,
    },
  ];
  if (perCapability) {
    capabilities.forEach((capability, index) => {
      const colour = colours.series[index % colours.series.length];
      // Lines fan out above and below the level (never on the overall line); the tooltip and table give the level itself.
      const offset = (index % 2 === 0 ? 1 : -1) * (Math.floor(index / 2) + 1) * LINE_GAP;
      datasets.push({
        label: capability.title,
        data: trend.map((point, at) => {
          const level = point.levels[capability.id] ?? null;
          return { x: labels[at], y: level === null ? null : level + offset, level };
        }),
        borderColor: colour,
        backgroundColor: colour,
        borderWidth: 1.5,
        borderDash: DASHES[index % DASHES.length],
        pointStyle: POINT_STYLES[index % POINT_STYLES.length],
        pointRadius: 3.5,
        spanGaps: false,
      });
    });
  }
  // Room above 500 for the lines set above it.
  const headroom = perCapability ? Math.ceil(capabilities.length / 2) * LINE_GAP : 0;
  return new window.Chart(canvas, {
    type: 'line',
    data: { labels, datasets },
    options: {
      ...baseOptions(colours),
      scales: {
        // From 0, so a team at 100 draws above the axis rather than on it.
        y: {
          min: 0,
          max: 500 + headroom,
          ticks: {
            stepSize: 100,
            color: colours.subtle,
            callback: (value) => (LEVEL_NAMES[value] === undefined ? '' : `${value} ${LEVEL_NAMES[value]}`),
          },
          grid: { color: colours.grid },
        },
        x: { ticks: { color: colours.subtle }, grid: { color: colours.grid } },
      },
    },
  });
}

/** Bar charts' legends show a filled square per series (the line-shaped boxes suit lines, not bars). */
function barPlugins(colours) {
  const { plugins } = baseOptions(colours);
  return { ...plugins, legend: { position: 'bottom', labels: { color: colours.fg, boxWidth: 14, boxHeight: 14, padding: 12 } } };
}

/** How many people chose each level, per capability: one stacked bar per capability, a shade per level. */
export function distributionChart(canvas, capabilities, levels) {
  const colours = themeColours();
  const shown = capabilities.filter((capability) => capability.distribution !== null);
  return new window.Chart(canvas, {
    type: 'bar',
    data: {
      labels: shown.map((capability) => capability.title),
      datasets: levels.map(({ level, name }, index) => ({
        label: `${level} ${name}`,
        data: shown.map((capability) => capability.distribution[index]),
        backgroundColor: colours.heat[index],
        borderColor: colours.surface,
        borderWidth: 1,
      })),
    },
    options: {
      ...baseOptions(colours),
      plugins: barPlugins(colours),
      indexAxis: 'y',
      scales: {
        x: { stacked: true, ticks: { color: colours.subtle, precision: 0 }, grid: { color: colours.grid } },
        y: { stacked: true, ticks: { color: colours.fg }, grid: { display: false } },
      },
    },
  });
}

/** The CoE's mean level beside everyone else's, per capability (a solid bar and an outlined one, so not by colour alone). */
export function perceptionChart(canvas, entries) {
  const colours = themeColours();
  return new window.Chart(canvas, {
    type: 'bar',
    data: {
      labels: entries.map((entry) => entry.title),
      datasets: [
        {
          label: 'CoE admins',
          data: entries.map((entry) => entry.coe.mean),
          backgroundColor: colours.team,
          borderColor: colours.team,
          borderWidth: 1,
        },
        {
          label: 'Everyone else',
          data: entries.map((entry) => entry.others.mean),
          backgroundColor: colours.teamFill,
          borderColor: colours.you,
          borderWidth: 2,
        },
      ],
    },
    options: {
      ...baseOptions(colours),
      plugins: barPlugins(colours),
      indexAxis: 'y',
      scales: {
        x: {
          min: 0,
          max: 500,
          ticks: { stepSize: 100, color: colours.subtle, callback: (value) => (value === 0 ? '' : value) },
          grid: { color: colours.grid },
        },
        y: { ticks: { color: colours.fg }, grid: { display: false } },
      },
    },
  });
}
