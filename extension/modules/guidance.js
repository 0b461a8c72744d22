// Plain-words explanation for every way the host can fail, with the exact
// command that fixes the installation.

export const INSTALL_COMMAND = "make install";

/**
 * @param {string} code a HostError code
 * @param {(key: string, ...subs: string[]) => string} t
 * @returns {{title: string, text: string, command: string|null}}
 */
export function hostProblem(code, t) {
  switch (code) {
    case "host_missing":
    case "host_not_executable":
    case "host_not_allowed":
      return { title: t("hostMissingTitle"), text: t("hostMissingText"), command: INSTALL_COMMAND };
    case "timeout":
      return { title: t("hostTimeoutTitle"), text: t("hostTimeoutText"), command: null };
    case "reply_too_large":
    case "host_crashed":
      return { title: t("hostCrashedTitle"), text: t("hostCrashedText"), command: INSTALL_COMMAND };
    default:
      return { title: t("analysisFailedTitle"), text: t("analysisFailedText"), command: null };
  }
}
