/** A stand-in for process.stderr that records what is written (and says whether it is a terminal). */
export function captureStream(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = {
    isTTY,
    columns: 120,
    write: (chunk: string) => {
      chunks.push(String(chunk));
      return true;
    },
    cursorTo: () => true,
    clearLine: () => true,
    moveCursor: () => true,
    on: () => stream,
    removeListener: () => stream,
  } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join("") };
}
