// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');
const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');
const swc = base.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...base,
  transform: {
    ...base.transform,
    // @grafana/data 13 loads d3 and other dependencies as .mjs files, which the scaffolded
    // transform pattern (.js/.ts only) leaves untransformed; run them through the same SWC setup.
    '^.+\\.mjs$': swc,
  },
  // Further ESM-only dependencies of @grafana/* 13.
  transformIgnorePatterns: [nodeModulesToTransform([...grafanaESModules, '@react-hookz', '@ver0', 'ol-ext', 'react-use', 'nanoid', 'lodash-es'])],
  // npm workspaces hoist dependencies to the repository root.
  moduleDirectories: ['node_modules', '<rootDir>/../node_modules'],
};
