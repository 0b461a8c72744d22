// Raw messages may be ISO-2022-JP, 8-bit or binary: they travel to the host
// as base64 so JSON never has to carry undecodable text.

/**
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function bytesToBase64(bytes) {
  let bin = "";
  // Chunks keep String.fromCharCode's argument list below engine limits.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + 0x8000)));
  }
  return btoa(bin);
}
