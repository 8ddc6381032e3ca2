/** Text: tokenizer, MurmurHash3, hashed sparse features, the SpamAssassin and CSV text loaders, the sparse text models and their training loop, and the character model CharRNN. */
export { murmur3, murmur3String } from './murmur3.js';
export { tokenize, decodeText, TOKENIZER } from './tokenize.js';
export { TextFeaturizer, hashToken, textPreprocess, HASH_BITS_MIN, HASH_BITS_MAX, HASH_BITS_DEFAULT, type TextPreprocess, type TextFeatureOptions } from './hashing.js';
export { SparseDataset, type SparseBatch } from './sparse-dataset.js';
export { loadSpamAssassin, SPAM_CLASSES, type TextCorpus } from './spam.js';
export { loadTextCsv, type TextCsvOptions } from './text-csv.js';
export { loadTextData, type TextData, type TextDataRequest } from './text-data.js';
export { SparseLogistic, BagClassifier, tableSparsity, type TextModel } from './models.js';
export { CharRNN, type CharRnnCell, type CharRnnOptions, type CharRnnState } from './char-rnn.js';
export { fitText, evaluateText, predictText, type TextFitOptions, type TextHistory, type ProgressivePoint, type TextEvaluation } from './train-text.js';
export { CharGPT, type CharGPTOptions } from './char-gpt.js';
