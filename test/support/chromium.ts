/**
 * The one browser every browser test uses: the system's Chromium (Debian's `chromium` package, or
 * CHROMIUM_PATH), launched the way this machine's closed network needs. No test tool downloads one.
 */
export const chromiumLaunchOptions = {
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
