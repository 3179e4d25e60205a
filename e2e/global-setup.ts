// @ts-expect-error: a plain ES module shared with npm start
import { buildWebIfStale } from '../scripts/build-web.mjs';

export default function setup(): void {
  (buildWebIfStale as () => void)();
}
