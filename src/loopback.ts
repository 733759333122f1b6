/**
 * The one loopback rule every module shares: plain http, an untrusted endpoint named in a file,
 * a TLS-less database connection are allowed only towards this machine.
 */

/** True for 127.0.0.0/8, ::1 and localhost (a URL's `hostname`, brackets allowed). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}
