/** The playground page's loader data: the models to offer and where apps reach the hub (for "View code"). */
import { getEnv } from "../env.server";
import { listPlaygroundModels, type PlaygroundProvider } from "./models.server";

export interface PlaygroundPageData {
  providers: PlaygroundProvider[];
  /** PUBLIC_URL, never the address this request came in on. */
  hubUrl: string;
}

export async function getPlaygroundPage(): Promise<PlaygroundPageData> {
  return { providers: await listPlaygroundModels(), hubUrl: getEnv().PUBLIC_URL.replace(/\/+$/, "") };
}
