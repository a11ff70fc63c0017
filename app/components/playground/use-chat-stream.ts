import { useCallback, useEffect, useRef, useState } from "react";
import { streamChat, type ChatRequest, type StreamResult } from "./stream-chat";

/** One answer at a time: its growing text, whether it runs, and Stop (which aborts the fetch). */
export function useChatStream() {
  const [text, setText] = useState("");
  const [running, setRunning] = useState(false);
  const controller = useRef<AbortController | null>(null);

  const start = useCallback(async (request: ChatRequest): Promise<StreamResult> => {
    controller.current?.abort();
    const own = new AbortController();
    controller.current = own;
    setText("");
    setRunning(true);
    try {
      return await streamChat(request, own.signal, setText);
    } finally {
      if (controller.current === own) {
        controller.current = null;
        setRunning(false);
      }
    }
  }, []);

  const stop = useCallback(() => controller.current?.abort(), []);
  // Leaving the page stops the answer too (the hub records it as aborted).
  useEffect(() => () => controller.current?.abort(), []);
  return { text, running, start, stop, reset: () => setText("") };
}
