import CopyWebpackPlugin from 'copy-webpack-plugin';
import path from 'path';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

/**
 * The scaffolded configuration plus the provisioned dashboards: ../dashboards/*.json (shared with
 * docker-compose provisioning) are bundled into dist/dashboards/ so plugin.json can include them.
 */
const config = async (env: Env): Promise<Configuration> => {
  const base = await grafanaConfig(env);
  return merge(base, {
    plugins: [
      new CopyWebpackPlugin({
        patterns: [{ from: path.resolve(process.cwd(), '..', 'dashboards', '*.json').replace(/\\/g, '/'), to: 'dashboards/[name][ext]', noErrorOnMissing: true }],
      }),
    ],
  });
};

export default config;
