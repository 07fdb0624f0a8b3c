// Operation names on the Lambda service are at most 256 printable ASCII characters. Cairn accepts
// any string of up to 256 characters, so names are mapped reversibly on the way out: every
// character outside printable ASCII, and "%" itself, becomes %XX of its UTF-8 bytes. Decoding on
// the way in gives replay back the name the handler used. ASCII names without "%" are unchanged.

export const MAX_WIRE_NAME_LENGTH = 256;

const NEEDS_ESCAPE = /[^\x20-\x24\x26-\x7e]/;

export function encodeName(name: string): string {
  if (!NEEDS_ESCAPE.test(name)) return name;
  let out = "";
  for (const char of name) {
    if (!NEEDS_ESCAPE.test(char)) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, "utf8")) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

export function decodeName(name: string): string {
  if (!name.includes("%")) return name;
  try {
    return decodeURIComponent(name);
  } catch {
    return name; // not written by encodeName: leave it as the service holds it
  }
}
