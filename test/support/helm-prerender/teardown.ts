/** Jest globalTeardown: stops the background rendering if it still runs and removes its folder. */
import { teardown } from './setup';

export default function globalTeardown(): void {
  teardown();
}
