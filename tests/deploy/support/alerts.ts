import { findRuleFiles } from '../../../deploy/k8s/generate-prometheusrule.js';
import { REPO_ROOT, repoPath } from './repo.js';

/** Every series recorded by a rule under alerts/. */
export function recordedSeries(): Set<string> {
  const names = new Set<string>();
  for (const file of findRuleFiles(repoPath('alerts'), REPO_ROOT)) {
    for (const group of file.groups as { rules?: { record?: unknown }[] }[]) {
      for (const rule of group.rules ?? []) if (typeof rule.record === 'string') names.add(rule.record);
    }
  }
  return names;
}
