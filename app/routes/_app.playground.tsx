import type { MetaFunction } from "@remix-run/node";
import { EmptyState, PageHeader } from "~/components/ui/empty-state";

export const meta: MetaFunction = () => [{ title: "Playground · AI Hub" }];

export default function Playground() {
  return (
    <>
      <PageHeader title="Playground" description="Try models in the browser before you wire them into an app." />
      <EmptyState title="Nothing to try yet">
        Once a provider and a model are configured, chat with streaming, images and embeddings will be available here.
      </EmptyState>
    </>
  );
}
