/**
 * Leaving the app for another site (Lever's consent page). An object so tests
 * can replace `assign` with a spy: jsdom cannot navigate.
 */
export const browser = {
  assign(url: string): void {
    window.location.assign(url);
  },
};
