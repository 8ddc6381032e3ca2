/** The lab's pages, in navigation order. */
import type { Page } from './page.js';
import { optimizersPage } from './optimizers/index.js';
import { backpropPage } from './backprop/index.js';
import { activationsPage } from './activations/index.js';
import { batchnormPage } from './batchnorm/index.js';
import { playgroundPage } from './playground/index.js';
import { ftrlPage } from './ftrl/index.js';
import { sequencesPage } from './sequences/index.js';

export const pages: Page[] = [optimizersPage, backpropPage, activationsPage, batchnormPage, ftrlPage, sequencesPage, playgroundPage];
