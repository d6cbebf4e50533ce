import { KumaLabel } from '../../kuma/well-known';
import { FindingSeverity } from '../finding';
import { RuleDefinition } from './rule';

export const KUMA007: RuleDefinition = {
  id: 'KUMA007',
  name: 'mesh-annotation',
  severity: FindingSeverity.ERROR,
  fixable: false,
  summary: 'kuma.io/mesh is an annotation: deprecated since 2.8 and ignored by 3.0; the mesh is a label.',
  severityNote: 'A warning on 2.8 to 2.14, which still read the annotation; an error on 3.x, which ignores it.',
  rationale: 'Kuma 2.x reads the mesh from the `kuma.io/mesh` label first and falls back to the annotation with a warning that it is no longer supported; Kuma 3.0 reads the label only, so pods or namespaces that rely on the annotation land in the `default` mesh.',
  restsOn: 'Reads `kuma.io/mesh` in pod-template and Namespace annotations, from `--kuma-version 2.8`, from which Kuma\'s docs set the mesh as a label; silent on 2.6 and 2.7.',
  fix: 'Set `kuma.io/mesh` as a label on the pod template or the Namespace, and remove the annotation.',
  exampleFlags: ['--kuma-version', '2.14'],
  sources: [
    'kumahq/kuma pkg/plugins/runtime/k8s/util/util.go@v2.14.3',
    'kumahq/kuma pkg/plugins/runtime/k8s/util/util.go@348b6528bc',
    'kumahq/kuma UPGRADE.md@348b6528bc',
  ],
  check: (ctx, report) => {
    const { caps } = ctx;
    if (caps.meshAnnotation) return;
    const severity = caps.meshAnnotationIgnored ? FindingSeverity.ERROR : FindingSeverity.WARNING;
    const how = caps.meshAnnotationIgnored ? `${ctx.version} ignores` : '2.8+ treats as deprecated';
    for (const pod of ctx.index.pods) {
      if (pod.annotations[KumaLabel.MESH] === undefined) continue;
      report(pod.manifest, `sets kuma.io/mesh as a pod annotation, which Kuma ${how}`, 'Set kuma.io/mesh as a pod label.', { severity, at: [...pod.metadataPath, 'annotations', 'kuma.io/mesh'] });
    }
    for (const ns of ctx.index.namespaces.values()) {
      if (ns.obj.metadata?.annotations?.[KumaLabel.MESH] === undefined) continue;
      report(ns, `sets kuma.io/mesh as a namespace annotation, which Kuma ${how}`, 'Set kuma.io/mesh as a namespace label.', { severity, at: ['metadata', 'annotations', 'kuma.io/mesh'] });
    }
  },
};
