// The Inspector's views in tab order. A new view is a folder under views/ exporting a ViewDef, listed here.
import type { ViewDef } from './view';
import { summaryView } from './summary/summaryView';
import { graphView } from './graph/graphView';
import { featureMapsView } from './featureMaps/featureMapsView';
import { convStepView } from './convStep/convStepView';
import { batchNormView } from './batchNorm/batchNormView';
import { activationsView } from './activations/activationsView';

export const VIEWS: ViewDef[] = [summaryView, graphView, featureMapsView, convStepView, batchNormView, activationsView];
