import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
/** A full garbage collection, for tests that check what a held request keeps alive (WeakRef). */
export const collectGarbage = runInNewContext('gc') as () => void;
