import React, { Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { AppRootProps } from '@grafana/data';
import { LoadingPlaceholder } from '@grafana/ui';
import { ROUTES } from '../../constants';
import { readSettings } from '../../lib/settings';
import { prefixRoute } from '../../utils/utils.routing';
import { FleetContextProvider } from '../FleetContext';

const Overview = React.lazy(() => import('../../pages/Overview'));
const Cost = React.lazy(() => import('../../pages/Cost'));
const IdleWaste = React.lazy(() => import('../../pages/IdleWaste'));
const Stragglers = React.lazy(() => import('../../pages/Stragglers'));
const Node = React.lazy(() => import('../../pages/Node'));
const Infra = React.lazy(() => import('../../pages/Infra'));

function App(props: AppRootProps) {
  const settings = readSettings(props.meta.jsonData);
  return (
    <FleetContextProvider settings={settings}>
      <Suspense fallback={<LoadingPlaceholder text="" />}>
        <Routes>
          <Route path={ROUTES.Overview} element={<Overview />} />
          <Route path={ROUTES.Cost} element={<Cost />} />
          <Route path={ROUTES.IdleWaste} element={<IdleWaste />} />
          <Route path={ROUTES.Stragglers} element={<Stragglers />} />
          <Route path={ROUTES.Node} element={<Node />} />
          <Route path={ROUTES.Infra} element={<Infra />} />
          <Route path="*" element={<Navigate to={prefixRoute(ROUTES.Overview)} replace />} />
        </Routes>
      </Suspense>
    </FleetContextProvider>
  );
}

export default App;
