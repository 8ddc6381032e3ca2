/** Saving a model with everything needed to use it elsewhere: architecture, weights, preprocessing, class names. */
export { saveModel, loadModel, encodeModel, decodeModel, MODEL_FORMAT, type ModelInfo, type LoadedModel } from './model-file.js';
export { moduleSpec, buildModule, registerModuleType, moduleTypeName, type ModuleSpec, type ModuleType } from './module-spec.js';
export { checkPreprocess, identityPreprocess, standardize, type Preprocess, type ImageInput } from './preprocess.js';
