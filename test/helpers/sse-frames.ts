/** The frames of a server-sent-events body (text between blank lines), as they arrive; ends with the body. */
export async function* sseFrames(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buf.indexOf('\n\n')) >= 0) {
      yield buf.slice(0, cut);
      buf = buf.slice(cut + 2);
    }
  }
}

/** The JSON of a frame's `data:` line. */
export const frameData = <T>(frame: string): T => JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as T;
