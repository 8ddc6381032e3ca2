/** Registers the ONNX export of every library module (imported for its side effects). */
import './sequential.js';
import './linear.js';
import './conv2d.js';
import './batch-norm.js';
import './layer-norm.js';
import './pool.js';
import './flatten.js';
import './activations.js';
import './embedding.js';
import './char-models.js';
