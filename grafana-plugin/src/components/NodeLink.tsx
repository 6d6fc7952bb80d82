import React from 'react';
import { Link } from 'react-router-dom';
import { ROUTES, URL_PARAMS } from '../constants';
import { linkTo } from '../utils/utils.routing';
import { useFleet } from './FleetContext';

/** A node name that opens the Node page with the current time range, data source and the node's cluster. */
export function NodeLink({ node, cluster }: { node: string; cluster?: string }) {
  const { params } = useFleet();
  const extra: Record<string, string> = { [URL_PARAMS.node]: node };
  if (cluster) {
    extra[URL_PARAMS.cluster] = cluster;
  }
  return <Link to={linkTo(ROUTES.Node, params, extra)}>{node}</Link>;
}
