import { CR, LF, RecordSyntaxError, type RecordSplitter } from "./record-splitter.js";

const QUOTE = 0x22;

/**
 * Makes an RFC 4180 splitter: fields separated by `delimiter`; a field in double quotes may hold
 * the delimiter, line breaks and `""` for a quote; records end at CRLF, LF or CR. A line with
 * nothing on it is skipped. Works on bytes: the delimiter, quote and line breaks are ASCII and
 * never occur inside a multi-byte UTF-8 character, so byte offsets stay exact.
 */
export function csvSplitter(delimiter: number): RecordSplitter<string[]> {
  return (bytes, start, eof) => {
    const fields: string[] = [];
    let quoted = false;
    let i = start;
    for (;;) {
      let field: string;
      if (bytes[i] === QUOTE) {
        quoted = true;
        const parts: string[] = [];
        let from = i + 1;
        for (;;) {
          const quote = bytes.indexOf(QUOTE, from);
          if (quote < 0 || quote + 1 >= bytes.length) {
            if (!eof) return undefined; // the closing quote (or what follows it) is past the window
            if (quote < 0) throw new RecordSyntaxError("a quoted field is not closed before the end of the object");
            parts.push(bytes.toString("utf8", from, quote));
            i = quote + 1;
            break;
          }
          parts.push(bytes.toString("utf8", from, quote));
          if (bytes[quote + 1] === QUOTE) {
            parts.push('"');
            from = quote + 2;
            continue;
          }
          i = quote + 1;
          break;
        }
        field = parts.join("");
        const after = bytes[i];
        if (i < bytes.length && after !== delimiter && after !== LF && after !== CR) {
          throw new RecordSyntaxError(`a closing quote must be followed by the delimiter or a line break, found ${JSON.stringify(String.fromCharCode(after!))}`);
        }
      } else {
        let j = i;
        while (j < bytes.length && bytes[j] !== delimiter && bytes[j] !== LF && bytes[j] !== CR) {
          if (bytes[j] === QUOTE) throw new RecordSyntaxError("a quote inside an unquoted field; quote the whole field and double the quote");
          j++;
        }
        field = bytes.toString("utf8", i, j);
        i = j;
      }
      fields.push(field);
      if (i >= bytes.length) {
        if (!eof) return undefined;
        return { end: i, value: !quoted && blank(fields) ? undefined : fields };
      }
      if (bytes[i] === delimiter) {
        i++;
        continue;
      }
      // A line break: CRLF, LF or a lone CR. A CR at the window's end may be half of a CRLF.
      if (bytes[i] === CR) {
        if (i + 1 >= bytes.length && !eof) return undefined;
        i += bytes[i + 1] === LF ? 2 : 1;
      } else {
        i++;
      }
      return { end: i, value: !quoted && blank(fields) ? undefined : fields };
    }
  };
}

function blank(fields: string[]): boolean {
  return fields.length === 1 && fields[0] === "";
}
