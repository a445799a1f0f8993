/**
 * A tar archive holding one regular file, for `container.putArchive` (which works on stopped
 * containers, unlike exec). Enough of ustar for a short name and a small body.
 */
export function singleFileTar(name: string, content: string, mode = 0o644): Buffer {
  const body = Buffer.from(content);
  const header = Buffer.alloc(512);
  const write = (text: string, offset: number, length: number) => header.write(text, offset, length, 'ascii');
  const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, '0');
  if (Buffer.byteLength(name) > 99) throw new Error(`tar entry name too long: ${name}`);
  write(name, 0, 100);
  write(octal(mode, 8), 100, 8);
  write(octal(0, 8), 108, 8); // uid root
  write(octal(0, 8), 116, 8); // gid root
  write(octal(body.length, 12), 124, 12);
  write(octal(Math.floor(Date.now() / 1000), 12), 136, 12);
  write('        ', 148, 8); // checksum is computed with this field as spaces
  write('0', 156, 1);
  write('ustar\u000000', 257, 8);
  let checksum = 0;
  for (const byte of header) checksum += byte;
  write(`${octal(checksum, 7)}\u0000 `, 148, 8);
  const padding = Buffer.alloc((512 - (body.length % 512)) % 512);
  return Buffer.concat([header, body, padding, Buffer.alloc(1024)]);
}
